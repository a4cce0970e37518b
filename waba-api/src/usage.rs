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

    /// Reads `X-App-Usage` and `X-Business-Use-Case-Usage` values.
    pub(crate) fn from_values(
        app: Option<&reqwest::header::HeaderValue>,
        buc: Option<&reqwest::header::HeaderValue>,
    ) -> Usage {
        if app.is_none() && buc.is_none() {
            return Usage::default();
        }
        // Every response carries these headers, so the well-formed case takes a typed parse
        // (no `Value` tree); anything unusual takes the lenient path, which also names problems.
        fast::usage(app, buc).unwrap_or_else(|| Self::from_headers_lenient(app, buc))
    }

    /// The lenient reading: every shape Graph might send, each problem recorded.
    fn from_headers_lenient(
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
        let minutes = self
            .business_use_case
            .iter()
            .map(|b| b.estimated_time_to_regain_access)
            .max()?;
        (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60))
    }

    /// How long Graph says `object_id` (e.g. the WABA a call went to) must wait, if it is
    /// throttled: entries for other objects do not delay this call.
    pub fn regain_access_after_for(&self, object_id: &str) -> Option<Duration> {
        let minutes = self
            .business_use_case
            .iter()
            .filter(|b| b.object_id == object_id)
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

/// The typed reading of well-formed headers. `None` whenever the input is anything but plain
/// (not JSON, wrong shapes, duplicate keys, object IDs out of order, numbers that are not
/// numbers or numeric strings): the lenient path then gives the result, so both readings agree.
mod fast {
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{self, Deserializer, MapAccess, Visitor};

    use super::{AppUsage, BusinessUseCaseUsage, Usage, percent};

    /// The fields of an `x-app-usage` object or of one business-use-case entry. Accepts only a
    /// JSON object (serde's derive would also take an array), each key at most once.
    #[derive(Default)]
    struct Fields {
        kind: Option<String>,
        /// call_count, total_time, total_cputime, estimated_time_to_regain_access.
        nums: [Option<u32>; 4],
    }

    const NUMS: [&str; 4] = [
        "call_count",
        "total_time",
        "total_cputime",
        "estimated_time_to_regain_access",
    ];

    struct FieldsVisitor {
        /// An entry reads `type` and `estimated_time_to_regain_access`; the app object ignores them.
        entry: bool,
    }

    impl<'de> Visitor<'de> for FieldsVisitor {
        type Value = Fields;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
            let mut out = Fields::default();
            let dup = || de::Error::custom("duplicate key");
            while let Some(key) = map.next_key::<&'de str>()? {
                if self.entry && key == "type" {
                    if out.kind.is_some() {
                        return Err(dup());
                    }
                    out.kind = Some(map.next_value()?);
                    continue;
                }
                let slot = NUMS
                    .iter()
                    .position(|n| *n == key)
                    .filter(|&i| self.entry || i < 3);
                match slot {
                    Some(i) if out.nums[i].is_some() => return Err(dup()),
                    Some(i) => out.nums[i] = Some(map.next_value::<Pct>()?.0),
                    None => {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
            }
            Ok(out)
        }
    }

    struct App(Fields);

    impl<'de> Deserialize<'de> for App {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(FieldsVisitor { entry: false }).map(App)
        }
    }

    struct Entry(Fields);

    impl<'de> Deserialize<'de> for Entry {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(FieldsVisitor { entry: true }).map(Entry)
        }
    }

    /// A percentage as `num` reads it, from a number or a numeric string.
    struct Pct(u32);

    impl<'de> Deserialize<'de> for Pct {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Pct;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a number")
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pct, E> {
                    Ok(Pct(percent(v as f64)))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pct, E> {
                    Ok(Pct(percent(v as f64)))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<Pct, E> {
                    Ok(Pct(percent(v)))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Pct, E> {
                    Ok(Pct(v.trim().parse::<f64>().map_or(0, percent)))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// `{"<object id>": [entries], …}` with the object IDs in strictly ascending order, the
    /// order in which `serde_json::Map` yields them on the lenient path.
    struct Objects(Vec<(String, Vec<Entry>)>);

    impl<'de> Deserialize<'de> for Objects {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Objects;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Objects, A::Error> {
                    let mut out: Vec<(String, Vec<Entry>)> = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        if out.last().is_some_and(|(k, _)| *k >= key) {
                            return Err(de::Error::custom("object ids out of order"));
                        }
                        let entries = map.next_value()?;
                        out.push((key, entries));
                    }
                    Ok(Objects(out))
                }
            }
            d.deserialize_map(V)
        }
    }

    fn text(v: &reqwest::header::HeaderValue) -> Option<&str> {
        v.to_str().ok()
    }

    pub(super) fn usage(
        app: Option<&reqwest::header::HeaderValue>,
        buc: Option<&reqwest::header::HeaderValue>,
    ) -> Option<Usage> {
        let mut usage = Usage::default();
        if let Some(v) = app {
            let App(a) = serde_json::from_str(text(v)?).ok()?;
            let n = |i: usize| a.nums[i].unwrap_or(0);
            usage.app = Some(AppUsage {
                call_count: n(0),
                total_time: n(1),
                total_cputime: n(2),
            });
        }
        if let Some(v) = buc {
            let objects: Objects = serde_json::from_str(text(v)?).ok()?;
            for (object_id, entries) in objects.0 {
                for Entry(e) in entries {
                    let n = |i: usize| e.nums[i].unwrap_or(0);
                    usage.business_use_case.push(BusinessUseCaseUsage {
                        object_id: object_id.clone(),
                        call_count: n(0),
                        total_time: n(1),
                        total_cputime: n(2),
                        estimated_time_to_regain_access: n(3),
                        kind: e.kind.unwrap_or_default(),
                    });
                }
            }
        }
        Some(usage)
    }
}

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

    /// The typed fast path gives exactly what the lenient reading gives, or steps aside.
    #[test]
    fn fast_path_agrees_with_lenient() {
        let apps = [
            None,
            Some(r#"{"call_count":28,"total_time":25,"total_cputime":25}"#),
            Some(r#"{"call_count":"7.6 ","total_time":1e3,"total_cputime":-4,"x":[1]}"#),
            Some(r#"{"call_count":null}"#),
            Some(r#"{"call_count":1,"call_count":2}"#),
            Some(r#"{}"#),
            Some("[1]"),
            Some("[1,2,3]"),
            Some(r#"{"type":5,"estimated_time_to_regain_access":[],"total_time":"3"}"#),
            Some("{oops"),
        ];
        let bucs = [
            None,
            Some(
                r#"{"123":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":1,"total_time":2,"estimated_time_to_regain_access":3}]}"#,
            ),
            Some(r#"{"2":[{"type":"a","call_count":1}],"10":[{"type":"b"}]}"#),
            Some(r#"{"1":[{"type":"a"}],"2":[{"type":"b"},{"type":"c","call_count":"x"}]}"#),
            Some(r#"{"1":[{"type":"a"}],"1":[{"type":"b"}]}"#),
            Some(r#"{"1":[{"type":7}]}"#),
            Some(r#"{"1":[5]}"#),
            Some(r#"{"1":[["a",1,2,3,4]]}"#),
            Some(r#"{"1":[{"type":"a\u0041","ca\u006c\u006c_count":3}]}"#),
            Some(r#"{"1":5}"#),
            Some(r#"{"1":[{"type":"a","type":"b"}]}"#),
            Some(r#"{}"#),
        ];
        for app in apps {
            for buc in bucs {
                let mut h = HeaderMap::new();
                if let Some(a) = app {
                    h.insert("x-app-usage", HeaderValue::from_static(a));
                }
                if let Some(b) = buc {
                    h.insert("x-business-use-case-usage", HeaderValue::from_static(b));
                }
                let lenient = Usage::from_headers_lenient(
                    h.get("x-app-usage"),
                    h.get("x-business-use-case-usage"),
                );
                assert_eq!(Usage::from_headers(&h), lenient, "{app:?} {buc:?}");
                if let Some(fast) =
                    fast::usage(h.get("x-app-usage"), h.get("x-business-use-case-usage"))
                {
                    assert_eq!(fast, lenient, "{app:?} {buc:?}");
                }
            }
        }
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
