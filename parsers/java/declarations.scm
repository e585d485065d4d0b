; Declarations logicmine reads from tree-sitter's Java grammar (tree-sitter-language-pack 0.13.0).
; Method bodies are walked in Python (lang/java/body.py) because rules need their nesting;
; these captures give the file's frame. Capture names:
;   @package  the package name
;   @import   an import declaration (single-type, on-demand or static)
;   @type     a class, interface, enum, record or annotation type declaration (nested ones too;
;             local and anonymous classes are filtered out by the front end)
;   @error    a region the grammar could not read
;   @missing  a token the grammar had to invent (a missing `)` or `}`)

(package_declaration [(scoped_identifier) (identifier)] @package)

(import_declaration) @import

[
  (class_declaration)
  (interface_declaration)
  (enum_declaration)
  (record_declaration)
  (annotation_type_declaration)
] @type

(ERROR) @error

(MISSING) @missing
