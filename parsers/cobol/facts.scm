; Facts logicmine takes from tree-sitter's COBOL grammar (tree-sitter-language-pack 0.13.0).
; The grammar reports the procedure division as a flat run of statements and branch markers;
; logicmine rebuilds the nesting itself (lang/cobol/structure.py). Capture names:
;   @header     paragraph and section headers
;   @statement  a statement or a branch marker (IF, ELSE, END-IF, WHEN, AT END, period ...)
;   @data       a data description entry
;   @select     a FILE-CONTROL SELECT entry
;   @error      a region the grammar could not read (recovered by lang/cobol/scanner.py)

[(paragraph_header) (section_header)] @header

[
  (accept_statement) (add_statement) (allocate_statement) (alter_statement) (call_statement)
  (cancel_statement) (close_statement) (compute_statement) (continue_statement)
  (delete_statement) (display_statement) (divide_statement) (evaluate_header) (exit_statement)
  (goback_statement) (goto_statement) (if_header) (else_header) (else_if_header)
  (initialize_statement) (inspect_statement) (merge_statement) (move_statement)
  (multiply_statement) (next_sentence_statement) (open_statement)
  (perform_statement_call_proc) (perform_statement_loop) (read_statement) (release_statement)
  (return_statement) (rewrite_statement) (search_statement) (set_statement) (sort_statement)
  (start_statement) (stop_statement) (string_statement) (subtract_statement)
  (unstring_statement) (write_statement) (when) (when_other)
  (at_end) (not_at_end) (invalid_key) (not_invalid_key) (on_size_error) (not_on_size_error)
  (on_exception) (not_on_exception) (on_overflow) (not_on_overflow)
  (END_ACCEPT) (END_ADD) (END_CALL) (END_COMPUTE) (END_DELETE) (END_DISPLAY) (END_DIVIDE)
  (END_EVALUATE) (END_IF) (END_MULTIPLY) (END_PERFORM) (END_READ) (END_RETURN) (END_REWRITE)
  (END_SEARCH) (END_START) (END_STRING) (END_SUBTRACT) (END_UNSTRING) (END_WRITE)
  (period)
] @statement

(data_description) @data
(select_statement) @select
(ERROR) @error
