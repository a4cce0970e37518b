//! Rate-limit usage headers: `X-App-Usage` and `X-Business-Use-Case-Usage`.

use std::time::Duration;

use serde_json::Value;

/// `X-App-Usage`: percentages of the app's hourly allowance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppUsage {
    /// Calls made, as a percentage.
    pub call_count: u32,
    /// Total time, as a percentage.
    pub total_time: u32,
    /// CPU time, as a percentage.
    pub total_cputime: u32,
}

/// One entry of `X-Business-Use-Case-Usage` (percentages of the business object's allowance).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessUseCaseUsage {
    /// The business object (e.g. the WABA) the usage is counted against.
    pub object_id: String,
    /// The use case, e.g. `whatsapp_business_management`.
    pub kind: String,
    /// Calls made, as a percentage.
    pub call_count: u32,
    /// Total time, as a percentage.
    pub total_time: u32,
    /// CPU time, as a percentage.
    pub total_cputime: u32,
    /// Minutes until calls are allowed again, when throttled (0 otherwise).
    pub estimated_time_to_regain_access: u32,
}

/// The usage headers of one response (present on successes and errors alike).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// `X-App-Usage`, when sent.
    pub app: Option<AppUsage>,
    /// `X-Business-Use-Case-Usage`, flattened over its business objects.
    pub business_use_case: Vec<BusinessUseCaseUsage>,
    /// Headers that were present but could not be read, with the reason (never dropped silently).
    pub problems: Vec<String>,
}

impl Usage {
    /// Reads the usage headers of a response.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Usage {
        Self::from_values(
            headers.get(&X_APP_USAGE),
            headers.get(&X_BUSINESS_USE_CASE_USAGE),
        )
    }

    /// Reads `X-App-Usage` and `X-Business-Use-Case-Usage` values, leniently: every shape
    /// Graph might send, each problem recorded. (Responses parse this only when asked, so it is
    /// off the request path.)
    pub(crate) fn from_values(
        app: Option<&reqwest::header::HeaderValue>,
        buc: Option<&reqwest::header::HeaderValue>,
    ) -> Usage {
        let mut usage = Usage::default();
        if let Some(v) = app {
            match parse_json(v) {
                Ok(Value::Object(o)) => {
                    usage.app = Some(AppUsage {
                        call_count: num(&o, "call_count"),
                        total_time: num(&o, "total_time"),
                        total_cputime: num(&o, "total_cputime"),
                    })
                }
                Ok(_) => usage.problems.push("x-app-usage: not a JSON object".into()),
                Err(e) => usage.problems.push(format!("x-app-usage: {e}")),
            }
        }
        if let Some(v) = buc {
            match parse_json(v) {
                Ok(Value::Object(objects)) => {
                    for (object_id, entries) in objects {
                        let Value::Array(entries) = entries else {
                            usage.problems.push(format!(
                                "x-business-use-case-usage: `{object_id}` is not a list"
                            ));
                            continue;
                        };
                        for e in entries {
                            let Value::Object(e) = e else {
                                usage.problems.push(format!("x-business-use-case-usage: `{object_id}` has a non-object entry"));
                                continue;
                            };
                            usage.business_use_case.push(BusinessUseCaseUsage {
                                object_id: object_id.clone(),
                                kind: e
                                    .get("type")
                                    .and_then(Value::as_str)
                                    .unwrap_or_default()
                                    .to_string(),
                                call_count: num(&e, "call_count"),
                                total_time: num(&e, "total_time"),
                                total_cputime: num(&e, "total_cputime"),
                                estimated_time_to_regain_access: num(
                                    &e,
                                    "estimated_time_to_regain_access",
                                ),
                            });
                        }
                    }
                }
                Ok(_) => usage
                    .problems
                    .push("x-business-use-case-usage: not a JSON object".into()),
                Err(e) => usage
                    .problems
                    .push(format!("x-business-use-case-usage: {e}")),
            }
        }
        usage
    }

    /// How long Graph says to wait before calling again (the largest
    /// `estimated_time_to_regain_access`, in minutes), if any.
    pub fn regain_access_after(&self) -> Option<Duration> {
        self.regain(|_| true)
    }

    /// How long Graph says `object_id` (e.g. the WABA a call went to) must wait, if it is
    /// throttled: entries for other objects do not delay this call.
    pub fn regain_access_after_for(&self, object_id: &str) -> Option<Duration> {
        self.regain(|b| b.object_id == object_id)
    }

    fn regain(&self, counts: impl Fn(&BusinessUseCaseUsage) -> bool) -> Option<Duration> {
        let minutes = self
            .business_use_case
            .iter()
            .filter(|b| counts(b))
            .map(|b| b.estimated_time_to_regain_access)
            .max()?;
        (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60))
    }

    /// The highest percentage of any allowance used (0–100+), to slow down before throttling.
    pub fn max_percent(&self) -> u32 {
        let app = self
            .app
            .iter()
            .flat_map(|a| [a.call_count, a.total_time, a.total_cputime]);
        let buc = self
            .business_use_case
            .iter()
            .flat_map(|b| [b.call_count, b.total_time, b.total_cputime]);
        app.chain(buc).max().unwrap_or(0)
    }
}

static X_APP_USAGE: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("x-app-usage");
static X_BUSINESS_USE_CASE_USAGE: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("x-business-use-case-usage");

fn parse_json(v: &reqwest::header::HeaderValue) -> Result<Value, String> {
    let text = v.to_str().map_err(|_| "not visible ASCII".to_string())?;
    serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))
}

/// Percentages are whole numbers, but be lenient with floats and numeric strings.
fn num(o: &serde_json::Map<String, Value>, key: &str) -> u32 {
    match o.get(key) {
        Some(Value::Number(n)) => n.as_f64().map_or(0, percent),
        Some(Value::String(s)) => s.trim().parse::<f64>().map_or(0, percent),
        _ => 0,
    }
}

/// A percentage as a whole number, clamped to `u32`.
fn percent(f: f64) -> u32 {
    f.clamp(0.0, f64::from(u32::MAX)).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn parses_both_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-app-usage",
            HeaderValue::from_static(r#"{"call_count":28,"total_time":25,"total_cputime":25}"#),
        );
        h.insert(
            "x-business-use-case-usage",
            HeaderValue::from_static(
                r#"{"123":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":1,"total_time":2,"estimated_time_to_regain_access":3}]}"#,
            ),
        );
        let u = Usage::from_headers(&h);
        assert_eq!(
            u.app,
            Some(AppUsage {
                call_count: 28,
                total_time: 25,
                total_cputime: 25
            })
        );
        assert_eq!(u.business_use_case[0].object_id, "123");
        assert_eq!(u.business_use_case[0].estimated_time_to_regain_access, 3);
        assert_eq!(u.regain_access_after(), Some(Duration::from_secs(180)));
        assert_eq!(u.max_percent(), 100);
        assert!(u.problems.is_empty());
    }

    #[test]
    fn keeps_problems() {
        let mut h = HeaderMap::new();
        h.insert("x-app-usage", HeaderValue::from_static("{oops"));
        h.insert(
            "x-business-use-case-usage",
            HeaderValue::from_static(r#"{"1":5}"#),
        );
        let u = Usage::from_headers(&h);
        assert_eq!(u.problems.len(), 2, "{:?}", u.problems);
        assert!(u.app.is_none());
    }
}
