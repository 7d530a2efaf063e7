; One pass over a Python file collects every node the summary needs.
; Each capture name routes the node to one extractor in server/src/index/extract.rs;
; captures arrive in document order, so enclosing definitions are known when a
; call or an assignment inside them is seen.

(function_definition) @function
(class_definition) @class
(decorated_definition) @decorated
(import_statement) @import
(import_from_statement) @import_from
(call) @call
(assignment) @assignment
(subscript) @subscript
(pair) @pair
(with_item) @with_item
(comment) @comment

; Statement structure for rules (server/src/index/structure.rs).
(for_statement) @loop
(while_statement) @loop
(except_clause) @except
(break_statement) @break
(return_statement) @return
(raise_statement) @raise
(augmented_assignment) @aug_assign
(assert_statement) @assert
(comparison_operator) @comparison
(expression_statement) @statement
(await) @await
