//! Field ids of the bundled Python grammar, so hot code calls
//! `child_by_field_id(fields::NAME)` instead of `child_by_field_name("name")`
//! (which looks the name up with a linear `strncmp` scan on every call: 3% of
//! the cold index on Django). A test checks every id against the grammar.

grammar_ids! {
    ALIAS = 1, "alias";
    ALTERNATIVE = 2, "alternative";
    ARGUMENT = 3, "argument";
    ARGUMENTS = 4, "arguments";
    ATTRIBUTE = 5, "attribute";
    BODY = 6, "body";
    CAUSE = 7, "cause";
    CODE = 8, "code";
    CONDITION = 9, "condition";
    CONSEQUENCE = 10, "consequence";
    DEFINITION = 11, "definition";
    EXPRESSION = 12, "expression";
    FORMAT_SPECIFIER = 13, "format_specifier";
    FUNCTION = 14, "function";
    GUARD = 15, "guard";
    KEY = 16, "key";
    LEFT = 17, "left";
    MODULE_NAME = 18, "module_name";
    NAME = 19, "name";
    OBJECT = 20, "object";
    OPERATOR = 21, "operator";
    OPERATORS = 22, "operators";
    PARAMETERS = 23, "parameters";
    RETURN_TYPE = 24, "return_type";
    RIGHT = 25, "right";
    SUBJECT = 26, "subject";
    SUBSCRIPT = 27, "subscript";
    SUPERCLASSES = 28, "superclasses";
    TYPE = 29, "type";
    TYPE_CONVERSION = 30, "type_conversion";
    TYPE_PARAMETERS = 31, "type_parameters";
    VALUE = 32, "value";
}

/// The two fields that begin and end a node, for the kinds whose grammar rule
/// is `field … field`: `call` (`FUNCTION`, `ARGUMENTS`), `attribute`
/// (`OBJECT`, `ATTRIBUTE`), `keyword_argument` (`NAME`, `VALUE`), `pair`
/// (`KEY`, `VALUE`) and `binary_operator` (`LEFT`, `RIGHT`). tree-sitter never
/// makes an extra (a comment) a node's first or last child, so in a subtree
/// without errors they are its first and last children, reached without
/// `child_by_field_id`'s scan of the field map (this runs for every call,
/// keyword and attribute the index evaluates); with errors they are looked
/// up. `outer_fields_match_lookups` checks it on every fixture.
pub fn outer<'t>(
    node: tree_sitter::Node<'t>,
    first: u16,
    last: u16,
) -> (Option<tree_sitter::Node<'t>>, Option<tree_sitter::Node<'t>>) {
    let n = node.child_count();
    if n >= 2 && !node.has_error() {
        return (node.child(0), node.child(n as u32 - 1));
    }
    (node.child_by_field_id(first), node.child_by_field_id(last))
}

/// An `assignment`'s `LEFT` and `RIGHT` by position, like [`outer`]: the
/// left side is the first child; the right side is the last child when the
/// one before it is `=` (`x = v`, `x: T = v`), and missing otherwise
/// (`x: T`). Looked up in subtrees with errors.
pub fn assignment_sides(
    node: tree_sitter::Node<'_>,
) -> (Option<tree_sitter::Node<'_>>, Option<tree_sitter::Node<'_>>) {
    let n = node.child_count() as u32;
    if n >= 3 && !node.has_error() {
        let eq = node
            .child(n - 2)
            .is_some_and(|c| super::kinds::name(c) == "=");
        return (node.child(0), if eq { node.child(n - 1) } else { None });
    }
    (node.child_by_field_id(LEFT), node.child_by_field_id(RIGHT))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_match_the_grammar() {
        let lang = super::super::language();
        for &(id, name) in super::ALL {
            assert_eq!(
                lang.field_id_for_name(name).map(|n| n.get()),
                Some(id),
                "field `{name}`"
            );
        }
    }
}
