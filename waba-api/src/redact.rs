//! Removing credentials from text that came from the server or the transport.

/// The credentials of one client, computed once: the token, the app secret and the
/// (untimed) `appsecret_proof`.
#[derive(Default)]
pub(crate) struct Redactor {
    needles: Vec<String>,
}

/// Query parameters whose values are credentials wherever they appear in text.
const SECRET_PARAMS: [&str; 2] = ["access_token", "appsecret_proof"];

impl Redactor {
    pub(crate) fn new(needles: impl IntoIterator<Item = String>) -> Self {
        Redactor {
            needles: needles.into_iter().filter(|n| !n.is_empty()).collect(),
        }
    }

    /// `text` with every credential (and `extra`, e.g. a timed proof) replaced by `[redacted]`.
    pub(crate) fn redact(&self, text: &str, extra: Option<&str>) -> String {
        let extra = extra.filter(|e| !e.is_empty());
        let found = self
            .needles
            .iter()
            .map(String::as_str)
            .chain(extra)
            .any(|n| text.contains(n))
            || SECRET_PARAMS.iter().any(|p| text.contains(p));
        // Nearly every text holds no credential: skip the rewriting then.
        if !found {
            return text.to_string();
        }
        let mut out = text.to_string();
        for n in self.needles.iter().map(String::as_str).chain(extra) {
            out = out.replace(n, "[redacted]");
        }
        redact_query_values(&out)
    }
}

/// Replaces the values of credential parameters in any `name=value` text (e.g. a `next` URL
/// echoed in a body).
fn redact_query_values(text: &str) -> String {
    let mut out = text.to_string();
    for name in SECRET_PARAMS {
        let pat = format!("{name}=");
        let mut from = 0;
        while let Some(pos) = out[from..].find(&pat) {
            let start = from + pos + pat.len();
            let end = out[start..]
                .find(|c: char| c == '&' || c == '"' || c == '\'' || c.is_whitespace())
                .map_or(out.len(), |n| start + n);
            out.replace_range(start..end, "[redacted]");
            from = start + "[redacted]".len();
        }
    }
    out
}

/// `value` with credentials removed from every string and key (`error_data` is free-form).
pub(crate) fn redact_json(
    value: serde_json::Value,
    redact: &dyn Fn(&str) -> String,
) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(redact(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| redact_json(v, redact)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (redact(&k), redact_json(v, redact)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_needles_and_query_values() {
        let r = Redactor::new(["TOKEN".to_string(), String::new()]);
        assert_eq!(r.redact("nothing here", None), "nothing here");
        assert_eq!(
            r.redact("a TOKEN b PROOF", Some("PROOF")),
            "a [redacted] b [redacted]"
        );
        assert_eq!(
            r.redact(
                "https://x/?a=1&access_token=abc&b=2 \"appsecret_proof=ff\"",
                None
            ),
            "https://x/?a=1&access_token=[redacted]&b=2 \"appsecret_proof=[redacted]\""
        );
    }
}
