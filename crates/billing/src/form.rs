//! Stripe's form encoding: flat `key=value` pairs whose keys spell nesting
//! with brackets (`metadata[tenant_id]`, `line_items[0][price_data][currency]`).

/// A form body being built, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    /// An empty form.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds `key=value`.
    pub(crate) fn set(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.0.push((key.into(), value.to_string()));
        self
    }

    /// Adds `key=value` when there is a value.
    pub(crate) fn set_some(self, key: impl Into<String>, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.set(key, value),
            None => self,
        }
    }

    /// Adds `{prefix}[{name}]=value` for each pair.
    pub(crate) fn nested(mut self, prefix: &str, pairs: &[(&str, String)]) -> Self {
        for (name, value) in pairs {
            self.0.push((format!("{prefix}[{name}]"), value.clone()));
        }
        self
    }

    /// Adds `{prefix}[]=value` for each value (a list).
    pub(crate) fn list(mut self, prefix: &str, values: &[&str]) -> Self {
        for value in values {
            self.0.push((format!("{prefix}[]"), (*value).to_owned()));
        }
        self
    }

    /// The pairs, for the request body or query.
    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Form;

    #[test]
    fn nesting_is_spelled_with_brackets_in_order() {
        let form = Form::new()
            .set("mode", "payment")
            .nested("metadata", &[("tenant_id", "t".to_owned())])
            .list("enabled_events", &["a", "b"])
            .set_some("customer", None::<&str>)
            .set_some("line_items[0][quantity]", Some(1));
        let pairs = form.into_pairs();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "mode",
                "metadata[tenant_id]",
                "enabled_events[]",
                "enabled_events[]",
                "line_items[0][quantity]"
            ]
        );
    }
}
