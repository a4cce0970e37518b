//! What each [`Behaviour`] does: reads project stored objects, writes change the store, lists
//! page through edge collections. Nothing here knows an operation by name.

use serde_json::{Map, Value, json};
use waba_codegen::spec::model::{Param, Returns};
use waba_codegen::spec::types::Type;

use crate::behaviour::Behaviour;
use crate::errors::GraphError;
use crate::fields::{self, Selection};
use crate::graph::{App, Checked, Ctx, Route};
use crate::listing::{self, Source};
use crate::params::Params;
use crate::store::{Collection, Created, Fields, Object, Population, State};

impl App {
    pub(crate) fn selection(
        &self,
        route: &Route,
        params: &Params,
    ) -> Result<Vec<Selection>, GraphError> {
        match params.get("fields") {
            None => Ok(route.defaults.clone()),
            Some(text) => {
                let sel = fields::parse(text).map_err(GraphError::param)?;
                fields::validate(&self.spec, &sel, &route.fields, &route.item_node)
                    .map_err(GraphError::param)?;
                Ok(sel)
            }
        }
    }

    /// Runs a checked request of `route` on object `id`; returns the answer and whether state
    /// changed.
    pub(crate) fn run(
        &self,
        route: &Route,
        id: &str,
        params: &Params,
        checked: &Checked,
        ctx: &Ctx,
    ) -> Result<(Value, bool), GraphError> {
        let gone = || GraphError::unsupported(route.op.method.as_str(), id);
        let pop = self.store.population();
        let edge = route.op.edge.as_deref().unwrap_or_default();
        let answer = |created: Option<&str>| self.struct_response(&route.op.returns, created);
        match &route.behaviour {
            Behaviour::ReadNode => {
                let sel = self.selection(route, params)?;
                let state = self.store.read();
                let obj = state.object(id).ok_or_else(gone)?;
                Ok((Value::Object(fields::project(&obj.fields, &sel)), false))
            }
            Behaviour::UpdateNode => {
                let node = self.spec.node(&route.op.node);
                let values = self.values(route, params, checked, |p| {
                    node.is_some_and(|n| n.fields.iter().any(|f| f.name == p.name))
                });
                let mut state = self.store.write();
                let obj = state.object_mut(id).ok_or_else(gone)?;
                let mut changed = false;
                for (k, v) in values {
                    if obj.fields.get(&k) != Some(&v) {
                        obj.fields.insert(k, v);
                        changed = true;
                    }
                }
                Ok((answer(None), changed))
            }
            Behaviour::DeleteNode => {
                let changed = self.store.write().delete(pop, id);
                Ok((answer(None), changed))
            }
            Behaviour::ListEdge => {
                let state = self.store.read();
                let src = EdgeSource {
                    app: self,
                    route,
                    state: &state,
                    population: pop,
                    collection: state.collection(id, edge),
                };
                self.list(route, params, checked, &src, ctx)
                    .map(|v| (v, false))
            }
            Behaviour::CreateObject { node } => {
                let documented = self.spec.node(node);
                let new_id = self.store.new_id();
                let mut fields = Map::new();
                fields.insert("id".into(), Value::String(new_id.clone()));
                // An undocumented (external) node type keeps every parameter it was created with.
                fields.extend(self.values(route, params, checked, |p| {
                    documented.is_none_or(|n| n.fields.iter().any(|f| f.name == p.name))
                }));
                if let Some(n) = documented {
                    fields::fill(&self.spec, &mut fields, &n.fields, 0);
                }
                let sent = route
                    .op
                    .params
                    .iter()
                    .filter_map(|p| params.get(&p.name).map(|v| (p.name.clone(), v.to_string())))
                    .collect();
                let mut state = self.store.write();
                state.insert(
                    new_id.clone(),
                    Object {
                        node: node.clone(),
                        fields,
                        created: Some(Created {
                            id: new_id.clone(),
                            params: sent,
                        }),
                    },
                );
                state.put_member(pop, (id, edge), &new_id, Fields::new(), |_| Fields::new());
                Ok((answer(Some(&new_id)), true))
            }
            Behaviour::AddMember { key } => {
                let member = self.member(key.as_deref(), params);
                let fields: Fields = self
                    .values(route, params, checked, |p| Some(&p.name) != key.as_ref())
                    .into_iter()
                    .collect();
                let changed = self
                    .store
                    .write()
                    .put_member(pop, (id, edge), member, fields, |k| {
                        membership_defaults(self, route, k)
                    });
                Ok((answer(None), changed))
            }
            Behaviour::RemoveMember { key } => {
                let member = self.member(key.as_deref(), params);
                let changed = self.store.write().remove_member(pop, (id, edge), member);
                Ok((answer(None), changed))
            }
            Behaviour::Respond => match &route.op.returns {
                Returns::Node(n) => {
                    let sel = self.selection(route, params)?;
                    let mut obj = Map::new();
                    obj.insert("id".into(), Value::String(id.to_string()));
                    if let Some(node) = self.spec.node(n) {
                        fields::fill(&self.spec, &mut obj, &node.fields, 0);
                    }
                    Ok((Value::Object(fields::project(&obj, &sel)), false))
                }
                _ => Ok((answer(None), false)),
            },
        }
    }

    /// The member a membership write names: its key parameter, or the caller.
    fn member<'p>(&'p self, key: Option<&str>, params: &'p Params) -> &'p str {
        key.and_then(|k| params.get(k)).unwrap_or(&self.caller_id)
    }

    /// The typed values of the parameters sent that `keep` accepts: JSON for lists and
    /// objects (lists without repeats, as Graph keeps them), booleans and numbers as such,
    /// text otherwise.
    fn values(
        &self,
        route: &Route,
        params: &Params,
        checked: &Checked,
        keep: impl Fn(&Param) -> bool,
    ) -> Vec<(String, Value)> {
        route
            .op
            .params
            .iter()
            .filter(|p| keep(p))
            .filter_map(|p| {
                let raw = params.get(&p.name)?;
                let v = match &p.ty {
                    ty if crate::params::is_json_type(ty) => {
                        let mut v = checked.json(params, &p.name)?.into_owned();
                        if let Value::Array(items) = &mut v {
                            let mut seen = Vec::with_capacity(items.len());
                            items.retain(|x| {
                                let new = !seen.contains(x);
                                if new {
                                    seen.push(x.clone());
                                }
                                new
                            });
                        }
                        v
                    }
                    Type::Bool => Value::Bool(raw == "true"),
                    Type::Int32 | Type::UInt32 | Type::Int64 => raw
                        .parse::<i64>()
                        .map_or_else(|_| Value::from(raw), Value::from),
                    Type::Float => raw
                        .parse::<f64>()
                        .map_or_else(|_| Value::from(raw), Value::from),
                    _ => Value::String(raw.to_string()),
                };
                Some((p.name.clone(), v))
            })
            .collect()
    }

    /// The body of a write or an action: the spec's return structure with `true` for its
    /// booleans (`success`), the new object's `id`, and values from their types for the rest.
    fn struct_response(&self, returns: &Returns, created_id: Option<&str>) -> Value {
        let mut out = Map::new();
        if let Returns::Object(n) = returns {
            let mut v = fields::synth(&self.spec, n, &Type::Object(n.clone()), 0, 0);
            if let (Some(id), Value::Object(o)) = (created_id, &mut v)
                && o.contains_key("id")
            {
                o.insert("id".into(), Value::String(id.to_string()));
            }
            return v;
        }
        if let Returns::Struct { fields, .. } = returns {
            for f in fields {
                let v = match (&f.ty, created_id) {
                    (Type::Bool, _) => Value::Bool(true),
                    (_, Some(id)) if f.name == "id" => Value::String(id.to_string()),
                    _ => fields::value(&self.spec, f, 0),
                };
                out.insert(f.name.clone(), v);
            }
        }
        Value::Object(out)
    }

    pub(crate) fn list(
        &self,
        route: &Route,
        params: &Params,
        checked: &Checked,
        src: &dyn Source,
        ctx: &Ctx,
    ) -> Result<Value, GraphError> {
        let sel = self.selection(route, params)?;
        let limit = match params.get("limit") {
            None => listing::DEFAULT_LIMIT,
            Some(l) => match l.parse::<u64>() {
                Ok(n) if (1..=listing::MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(GraphError::param(format!(
                        "Param limit must be an integer from 1 to {}",
                        listing::MAX_LIMIT
                    )));
                }
            },
        };
        let cursor = |name: &str| -> Result<Option<u64>, GraphError> {
            match params.get(name) {
                None => Ok(None),
                Some(c) => listing::decode_cursor(c).map(Some).ok_or_else(|| {
                    GraphError::param(format!("Param {name} is not a valid cursor"))
                }),
            }
        };
        let filters = match params.get("filtering") {
            // Like any parameter an operation does not declare, Graph ignores it elsewhere.
            Some(_) if route.declares_filtering => {
                let value = checked.json(params, "filtering");
                listing::parse_filters(value.as_deref().unwrap_or(&Value::Null), &route.filterable)
                    .map_err(GraphError::param)?
            }
            _ => Vec::new(),
        };
        let summary = self.summary_fields(route, params)?;
        let req = listing::Request {
            limit,
            after: cursor("after")?,
            before: cursor("before")?,
            filters,
        };
        let page = listing::page(src, &req);
        let data: Vec<Value> = page
            .items
            .iter()
            .map(|(_, it)| Value::Object(fields::project(it, &sel)))
            .collect();
        let mut out = Map::new();
        out.insert("data".into(), Value::Array(data));
        if let (Some((first, _)), Some((last, _))) = (page.items.first(), page.items.last()) {
            let (before, after) = (listing::cursor(*first), listing::cursor(*last));
            let mut paging = Map::new();
            paging.insert(
                "cursors".into(),
                json!({ "before": before, "after": after }),
            );
            if page.has_before {
                paging.insert(
                    "previous".into(),
                    Value::String(self.link(ctx, params, limit, "before", &before)),
                );
            }
            if page.has_after {
                paging.insert(
                    "next".into(),
                    Value::String(self.link(ctx, params, limit, "after", &after)),
                );
            }
            out.insert("paging".into(), Value::Object(paging));
        }
        if !summary.is_empty() {
            let total = if req.filters.is_empty() {
                src.total()
            } else {
                listing::count(src, &req.filters)
            };
            let s: Map<String, Value> = summary
                .into_iter()
                .map(|f| (f, Value::from(total)))
                .collect();
            out.insert("summary".into(), Value::Object(s));
        }
        Ok(Value::Object(out))
    }

    /// The summary fields asked for with `summary=total_count` (or `true` for all).
    fn summary_fields(&self, route: &Route, params: &Params) -> Result<Vec<String>, GraphError> {
        let available = &route.summary_fields;
        match params.get("summary") {
            None | Some("false" | "0" | "") => Ok(Vec::new()),
            Some("true" | "1") => Ok(available.clone()),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    if available.iter().any(|a| a == s) {
                        Ok(s.to_string())
                    } else {
                        Err(GraphError::param(format!(
                            "Unknown summary field ({s}) on {}",
                            route.op.path
                        )))
                    }
                })
                .collect(),
        }
    }

    /// An absolute `next`/`previous` URL to this mock: this request's query with the cursor
    /// replaced (a query `access_token` stays in it, as on Graph).
    fn link(&self, ctx: &Ctx, params: &Params, limit: u64, key: &str, cursor: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.query_pairs() {
            if !matches!(k.as_str(), "after" | "before" | "limit") {
                q.append_pair(k, v);
            }
        }
        q.append_pair("limit", &limit.to_string());
        q.append_pair(key, cursor);
        format!("{}{}?{}", ctx.base, ctx.path, q.finish())
    }
}

/// The membership fields population member `k` starts with: values from the membership
/// parameters' types (e.g. one or two tasks of the `Task` enum).
fn membership_defaults(app: &App, route: &Route, k: u64) -> Fields {
    route
        .membership
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.name.clone(),
                fields::synth(&app.spec, &p.name, &p.ty, k, i as u64),
            )
        })
        .collect()
}

/// The members of one edge, read under the store's lock: each member's own fields (a stored
/// object or a population member), its membership fields, and values from the spec's types for
/// any other field the listing documents.
struct EdgeSource<'a> {
    app: &'a App,
    route: &'a Route,
    state: &'a State,
    population: &'a Population,
    collection: Option<&'a Collection>,
}

impl Source for EdgeSource<'_> {
    fn len(&self) -> u64 {
        self.collection.map_or(0, Collection::positions)
    }

    fn total(&self) -> u64 {
        self.collection.map_or(0, Collection::len)
    }

    fn item(&self, pos: u64) -> Option<Map<String, Value>> {
        let (id, membership) = self.collection?.member(self.population, pos, |k| {
            membership_defaults(self.app, self.route, k)
        })?;
        let mut obj = self
            .state
            .fields_of(self.population, &id)
            .unwrap_or_else(|| {
                let mut m = Map::new();
                m.insert("id".into(), Value::String(id.clone()));
                m
            });
        obj.extend(membership);
        if self.route.fields.len() > obj.len() {
            fields::fill(&self.app.spec, &mut obj, &self.route.fields, pos);
        }
        Some(obj)
    }
}
