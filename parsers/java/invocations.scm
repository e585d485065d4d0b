; Every invocation in a Java file, for the front end's completeness check: each of these must
; have become a call site (a count that differs is reported as a diagnostic).
;   @call  a method invocation, an object creation or an explicit constructor call

[
  (method_invocation)
  (object_creation_expression)
  (explicit_constructor_invocation)
] @call
