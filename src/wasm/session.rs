//! `Session`: the shopper's state on the device, stored in localStorage.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{
    arg_error, bad_option, given_keys, id_arg, is_nothing, is_plain_object, quantity_arg, string_of, whole_of,
};
use super::{now_secs, thrown, to_js, type_name, warn, Thrown};
use crate::session::SessionState;

thread_local! {
    /// Live sessions by id, so `recommend({ session })` reads a Session's state directly.
    pub(super) static SESSIONS: RefCell<Vec<(u32, std::rc::Weak<RefCell<Inner>>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_SESSION: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

pub(super) struct Inner {
    pub(super) state: SessionState,
    key: String,
    storage: Option<web_sys::Storage>,
    listeners: Vec<Function>,
}

impl Inner {
    /// Writes the state to storage (a no-op in memory).
    pub(super) fn save(&mut self) {
        let Some(storage) = &self.storage else { return };
        let mut text = String::with_capacity(1024);
        self.state.write_json(&mut text);
        if storage.set_item(&self.key, &text).is_err() {
            warn("edgerec: localStorage is full or unavailable; the session is kept in memory from now on");
            self.storage = None;
        }
    }
}

/// Reads a stored session (the shape `SessionState::write_json` writes); `None` when any field
/// is missing or of the wrong type.
fn state_from_js(v: &JsValue) -> Option<SessionState> {
    use crate::session::{Bought, CartLine, PastSession, Searched, Seen};
    fn get(v: &JsValue, k: &str) -> JsValue {
        Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    }
    fn int(v: &JsValue, k: &str) -> Option<i64> {
        get(v, k).as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 9e15).map(|x| x as i64)
    }
    fn text(v: &JsValue, k: &str) -> Option<String> {
        get(v, k).as_string()
    }
    fn list<T>(v: &JsValue, k: &str, max: usize, f: impl Fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
        let a = get(v, k).dyn_into::<Array>().ok()?;
        if a.length() as usize > max {
            return None;
        }
        a.iter().map(|x| f(&x)).collect()
    }
    if !v.is_object() || v.is_array() {
        return None;
    }
    let qty = |x: &JsValue| int(x, "quantity").filter(|q| (1..=i64::from(u32::MAX)).contains(q)).map(|q| q as u32);
    Some(SessionState {
        version: int(v, "version").and_then(|x| u32::try_from(x).ok())?,
        started: int(v, "started")?,
        last_active: int(v, "last_active")?,
        views: list(v, "views", crate::session::MAX_VIEWS, |x| Some(Seen { id: text(x, "id")?, at: int(x, "at")? }))?,
        cart: list(v, "cart", crate::session::MAX_CART, |x| {
            Some(CartLine { id: text(x, "id")?, quantity: qty(x)?, at: int(x, "at")? })
        })?,
        purchases: list(v, "purchases", crate::session::MAX_PURCHASES, |x| {
            Some(Bought { id: text(x, "id")?, quantity: qty(x)?, at: int(x, "at")? })
        })?,
        past: list(v, "past", crate::session::MAX_PAST_SESSIONS, |x| {
            Some(PastSession {
                started: int(x, "started")?,
                ended: int(x, "ended")?,
                views: list(x, "views", crate::session::MAX_PAST_VIEWS, |s| s.as_string())?,
            })
        })?,
        // Sessions stored before the gap was kept used the default.
        gap: match get(v, "gap") {
            g if g.is_undefined() => crate::session::SESSION_GAP,
            _ => int(v, "gap")?,
        },
        // Sessions stored before searches were kept have none.
        searches: if get(v, "searches").is_undefined() {
            Vec::new()
        } else {
            list(v, "searches", crate::session::MAX_SEARCHES, |x| {
                Some(Searched { query: text(x, "query")?, at: int(x, "at")? })
            })?
        },
    })
}

/// `Session.load`'s options.
#[derive(Default)]
struct SessionOptions {
    /// The localStorage key.
    key: Option<String>,
    /// "local" or "memory".
    storage: Option<String>,
    /// The inactivity gap until a recommender sets its own.
    gap_minutes: Option<u32>,
}

/// Reads `Session.load`'s options; `undefined` or `null` is the defaults, anything else but an
/// object an error (which `Session.load` logs).
fn session_options(v: &JsValue) -> Result<SessionOptions, Thrown> {
    let (mut key, mut storage, mut gap) = (None, None, None);
    if !is_nothing(v) && !is_plain_object(v) {
        return Err(arg_error(format!(
            "Session.load: options must be an object like {{ storage: \"memory\" }}, not {}",
            if v.is_array() { "an array".to_string() } else { format!("a {}", type_name(v)) }
        )));
    }
    if is_plain_object(v) {
        for (k, x) in given_keys(v, &["key", "storage", "gapMinutes"], "session option", "")? {
            match k.as_str() {
                "key" => key = Some(string_of(&k, &x)?),
                "storage" => storage = Some(string_of(&k, &x)?),
                _ => {
                    let m = whole_of("gapMinutes", &x)?;
                    let max = (crate::session::MAX_GAP / 60) as u32;
                    if !(1..=max).contains(&m) {
                        return Err(bad_option("gapMinutes", &format!("must be 1 to {max} (a week), got {m}")));
                    }
                    gap = Some(m);
                }
            }
        }
    }
    Ok(SessionOptions { key, storage, gap_minutes: gap })
}

/// Calls the change listeners; one's error must not break the session or the others.
fn notify(listeners: &[Function]) {
    for f in listeners {
        if let Err(e) = f.call0(&JsValue::NULL) {
            warn(&format!("edgerec: a Session.onChange listener threw: {}", thrown(&e)));
        }
    }
}

/// Parses a stored session; `Err` says why it was not usable.
fn parse_state(text: &str) -> Result<SessionState, String> {
    let v = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_string())?;
    let state = state_from_js(&v).ok_or_else(|| "not an edgerec session".to_string())?;
    if !state.is_valid() {
        return Err(format!(
            "version {} or bounds not supported (this edgerec writes version {})",
            state.version,
            crate::session::SESSION_VERSION
        ));
    }
    Ok(state)
}

impl Drop for Session {
    fn drop(&mut self) {
        // A freed Session stops following other tabs.
        if let (Some(cb), Some(w)) = (&self._on_storage, web_sys::window()) {
            let _ = w.remove_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
        }
    }
}

/// The shopper's session, kept on the device (localStorage when available, memory otherwise).
/// It never throws into the page: corrupt or foreign stored data is reset with a console warning.
#[wasm_bindgen]
pub struct Session {
    id: u32,
    inner: Rc<RefCell<Inner>>,
    _on_storage: Option<Closure<dyn FnMut(web_sys::StorageEvent)>>,
}

#[wasm_bindgen]
impl Session {
    /// Loads the session from localStorage (or starts one in memory) and follows changes made
    /// by other tabs of the same store.
    pub fn load(#[wasm_bindgen(unchecked_optional_param_type = "SessionOptions")] options: Option<JsValue>) -> Session {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let o = session_options(&options).unwrap_or_else(|e| {
            warn(&format!("edgerec: {}; using the default session options", e.message));
            SessionOptions::default()
        });
        if let Some(s) = o.storage.as_deref().filter(|s| !matches!(*s, "local" | "memory")) {
            warn(&format!("edgerec: session storage \"{s}\" is not \"local\" or \"memory\"; using \"local\""));
        }
        let key = o.key.unwrap_or_else(|| "edgerec:session".into());
        let window = web_sys::window();
        let storage = if o.storage.as_deref() == Some("memory") {
            None
        } else {
            // Throws (SecurityError) when storage is disabled: then memory.
            window.as_ref().and_then(|w| w.local_storage().ok().flatten())
        };
        let now = now_secs();
        let mut reset = false;
        let state = match storage.as_ref().and_then(|s| s.get_item(&key).ok().flatten()) {
            None => SessionState::new(now),
            Some(text) => parse_state(&text).unwrap_or_else(|why| {
                warn(&format!("edgerec: the stored session under \"{key}\" was unreadable ({why}) and was reset"));
                reset = true;
                SessionState::new(now)
            }),
        };
        let mut state = state;
        // Until a recommender passes its snapshot's gap, the one asked for here (or the stored one).
        let regapped = o.gap_minutes.is_some_and(|m| state.set_gap(i64::from(m) * 60));
        let inner = Rc::new(RefCell::new(Inner { state, key: key.clone(), storage, listeners: Vec::new() }));
        if reset || regapped {
            inner.borrow_mut().save();
        }
        let on_storage = match (&window, inner.borrow().storage.is_some()) {
            (Some(w), true) => {
                let weak = Rc::downgrade(&inner);
                let cb = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
                    let Some(inner) = weak.upgrade() else { return };
                    // `key` is null when another tab cleared the whole storage.
                    let k = e.key();
                    if k.as_deref().is_some_and(|k| k != key) {
                        return;
                    }
                    let next = match e.new_value() {
                        None => SessionState::new(now_secs()),
                        Some(text) => match parse_state(&text) {
                            Ok(s) => s,
                            Err(_) => return,
                        },
                    };
                    let mut i = inner.borrow_mut();
                    i.state = next;
                    let listeners = i.listeners.clone();
                    drop(i);
                    notify(&listeners);
                });
                let _ = w.add_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
                Some(cb)
            }
            _ => None,
        };
        let id = NEXT_SESSION.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        SESSIONS.with(|r| {
            let mut r = r.borrow_mut();
            r.retain(|(_, w)| w.strong_count() > 0);
            r.push((id, Rc::downgrade(&inner)));
        });
        Session { id, inner, _on_storage: on_storage }
    }

    /// Identifies this session to `Recommender.recommend` (internal).
    #[wasm_bindgen(getter, js_name = __edgerecSession, skip_typescript)]
    pub fn registry_id(&self) -> u32 {
        self.id
    }

    fn update(&self, f: impl FnOnce(&mut SessionState, i64)) {
        let mut i = self.inner.borrow_mut();
        f(&mut i.state, now_secs());
        i.save();
        let listeners = i.listeners.clone();
        drop(i);
        notify(&listeners);
    }

    /// Records a product view. Throws when `id` is not a product id string.
    pub fn view(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<(), JsValue> {
        let id = id_arg("view", &id)?;
        self.update(|s, now| s.view(&id, now));
        Ok(())
    }

    /// Adds units of a product to the cart (default 1; a whole number from 1 to 1,000,000).
    #[wasm_bindgen(js_name = addToCart)]
    pub fn add_to_cart(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] quantity: Option<JsValue>,
    ) -> Result<(), JsValue> {
        let id = id_arg("addToCart", &id)?;
        let q = match quantity.filter(|q| !q.is_undefined() && !q.is_null()) {
            None => 1,
            Some(q) => quantity_arg("addToCart", &q, 1.0)?,
        };
        self.update(|s, now| s.add_to_cart(&id, q, now));
        Ok(())
    }

    /// Sets the quantity of a cart line in place (0 removes it).
    #[wasm_bindgen(js_name = setQuantity)]
    pub fn set_quantity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] quantity: JsValue,
    ) -> Result<(), JsValue> {
        let id = id_arg("setQuantity", &id)?;
        let q = quantity_arg("setQuantity", &quantity, 0.0)?;
        self.update(|s, now| s.set_quantity(&id, q, now));
        Ok(())
    }

    /// Removes a product from the cart.
    #[wasm_bindgen(js_name = removeFromCart)]
    pub fn remove_from_cart(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<(), JsValue> {
        let id = id_arg("removeFromCart", &id)?;
        self.update(|s, now| s.remove_from_cart(&id, now));
        Ok(())
    }

    /// Records an order of these products (they leave the cart, with their cart quantities).
    pub fn purchase(&self, #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue) -> Result<(), JsValue> {
        let Some(arr) = ids.dyn_ref::<Array>() else {
            return Err(
                arg_error(format!("purchase: expected an array of product ids, got {}", type_name(&ids))).into()
            );
        };
        let ids: Vec<String> = arr.iter().map(|v| id_arg("purchase", &v)).collect::<Result<_, _>>()?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        self.update(|s, now| s.purchase(&refs, now));
        Ok(())
    }

    /// Records a search the shopper made (personalisation reads the brands, categories and
    /// values its words name). Blank queries are ignored; a long one is cut to 200 bytes.
    pub fn search(&self, #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue) -> Result<(), JsValue> {
        let Some(q) = query.as_string() else {
            return Err(arg_error(format!("search: expected the query string, got {}", type_name(&query))).into());
        };
        self.update(|s, now| s.search(&q, now));
        Ok(())
    }

    /// What the device knows of the shopper, as `rec`'s personalisation model sees it (for a
    /// privacy page): per field the values with their shares. `model`: another model by name.
    #[wasm_bindgen(unchecked_return_type = "ProfileView")]
    pub fn profile(
        &self,
        rec: &super::Recommender,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] model: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let model = match model.filter(|m| !m.is_undefined() && !m.is_null()) {
            None => None,
            Some(m) => Some(m.as_string().ok_or_else(|| arg_error("profile: the model name must be a string"))?),
        };
        let ctx = self.inner.borrow().state.context(None, now_secs());
        let view = rec.0.profile_view(&ctx, model.as_deref()).map_err(super::Thrown::from)?;
        to_js(|s| view.write_json(s))
    }

    /// Forgets everything (views, cart, purchases, searches, history).
    pub fn clear(&self) {
        self.update(|s, now| s.clear(now));
    }

    /// The current session's views, most recent first, without repeats.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn views(&self) -> Array {
        let i = self.inner.borrow();
        i.state.recent_views(now_secs()).into_iter().map(JsValue::from_str).collect()
    }

    /// The cart.
    #[wasm_bindgen(unchecked_return_type = "CartLine[]")]
    pub fn cart(&self) -> Result<JsValue, JsValue> {
        let i = self.inner.borrow();
        to_js(|out| {
            crate::json::array(out, &i.state.cart, |out, c| {
                crate::json::Object::new(out).str("id", &c.id).int("quantity", i64::from(c.quantity)).end()
            })
        })
    }

    /// Products bought, most recent first (an id once per purchase).
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn purchased(&self) -> Array {
        let i = self.inner.borrow();
        i.state.purchases.iter().rev().map(|b| JsValue::from_str(&b.id)).collect()
    }

    /// The context the engine reads (views most recent first, cart, purchases).
    #[wasm_bindgen(unchecked_return_type = "SessionContext")]
    pub fn context(&self) -> Result<JsValue, JsValue> {
        let i = self.inner.borrow();
        to_js(|out| crate::session::write_context_json(&i.state.context(None, now_secs()), out))
    }

    /// Where the session is kept: "local" or "memory".
    #[wasm_bindgen(getter, js_name = storageMode, unchecked_return_type = "\"local\" | \"memory\"")]
    pub fn storage_mode(&self) -> String {
        if self.inner.borrow().storage.is_some() { "local" } else { "memory" }.into()
    }

    /// Calls `callback` after every change, including changes made in other tabs.
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "() => void")] callback: JsValue,
    ) -> Result<(), JsValue> {
        let Ok(f) = callback.dyn_into::<Function>() else {
            return Err(arg_error("onChange: expected a function").into());
        };
        self.inner.borrow_mut().listeners.push(f);
        Ok(())
    }

    /// Stops calling `callback`.
    #[wasm_bindgen(js_name = offChange)]
    pub fn off_change(&self, callback: &Function) {
        self.inner.borrow_mut().listeners.retain(|f| !Object::is(f, callback));
    }

    /// The stored form (versioned), for debugging.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(|out| self.inner.borrow().state.write_json(out))
    }
}
