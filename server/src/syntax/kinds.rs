//! Node kind ids of the bundled Python grammar, for hot `match`es on
//! `node.kind_id()` instead of string comparisons on `node.kind()`. A test
//! checks every id against the grammar (ids are the grammar's public symbols,
//! the ones `kind_id()` returns, aliases included).

grammar_ids! {
    IDENTIFIER = 1, "identifier";
    ESCAPE_SEQUENCE = 89, "escape_sequence";
    INTEGER = 93, "integer";
    FLOAT = 94, "float";
    TRUE = 96, "true";
    FALSE = 97, "false";
    NONE = 98, "none";
    COMMENT = 99, "comment";
    MODULE = 108, "module";
    WITH_CLAUSE = 143, "with_clause";
    LIST_SPLAT = 148, "list_splat";
    FUNCTION_DEFINITION = 145, "function_definition";
    DICTIONARY_SPLAT = 149, "dictionary_splat";
    CLASS_DEFINITION = 154, "class_definition";
    DECORATED_DEFINITION = 158, "decorated_definition";
    BLOCK = 160, "block";
    BINARY_OPERATOR = 191, "binary_operator";
    UNARY_OPERATOR = 192, "unary_operator";
    ASSIGNMENT = 198, "assignment";
    ATTRIBUTE = 203, "attribute";
    SUBSCRIPT = 204, "subscript";
    CALL = 206, "call";
    KEYWORD_ARGUMENT = 214, "keyword_argument";
    LIST = 215, "list";
    PAIR = 219, "pair";
    TUPLE = 217, "tuple";
    PARENTHESIZED_EXPRESSION = 225, "parenthesized_expression";
    CONCATENATED_STRING = 230, "concatenated_string";
    STRING = 231, "string";
    STRING_CONTENT = 232, "string_content";
    INTERPOLATION = 233, "interpolation";
}

/// `node.kind()` from a table: the same name, without the C string length
/// and UTF-8 check `Node::kind` does on every call (hot in the extraction).
pub fn name<'t>(node: impl std::borrow::Borrow<tree_sitter::Node<'t>>) -> &'static str {
    let node = node.borrow();
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let lang = super::language();
        (0..lang.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| lang.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect()
    });
    match names.get(node.kind_id() as usize) {
        Some(name) => name,
        None => node.kind(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_match_the_grammar() {
        let lang = super::super::language();
        for &(id, name) in super::ALL {
            assert_eq!(lang.id_for_node_kind(name, true), id, "kind `{name}`");
            assert_eq!(lang.node_kind_for_id(id), Some(name), "id {id}");
        }
    }

    #[test]
    fn kind_ids_of_parsed_nodes_are_the_listed_ones() {
        // Keywords usable as names (`print`, `match`, `type`) are aliased to
        // identifier; kind_id() must still report IDENTIFIER for them.
        let src = "print(match, type)\nx = -1.5 + 2\nasync def f(a: int = 1):\n    await g(*a, **{'k': [b for b in c if b is not None]})\n";
        let tree = super::super::parse(src, None).expect("parse");
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            assert_eq!(super::name(n), n.kind());
            if let Some(&(id, _)) = super::ALL.iter().find(|(_, k)| *k == n.kind()) {
                assert_eq!(n.kind_id(), id, "{} at {:?}", n.kind(), n.byte_range());
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
    }
}
