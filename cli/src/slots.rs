//! Video slots as an operator names them: `self` for our own camera (`#self:0`, which a shell
//! would take for a comment unquoted), or a participant by CallId, user name or display name.

use tcroom_core::{VideoMatrix, SELF_SLOT};

/// Words that mean our own camera.
const SELF_WORDS: [&str; 3] = ["self", "me", "room"];

/// Whether `input` needs the layout to be resolved (it is not a full slot id or `self`).
pub fn needs_layout(input: &str) -> bool {
    !(is_self(input) || input.starts_with('#') || input.contains('/'))
}

fn is_self(input: &str) -> bool {
    SELF_WORDS.iter().any(|w| w.eq_ignore_ascii_case(input.trim()))
}

/// Every slot of the layout with the name shown for it.
fn slots(m: &VideoMatrix) -> Vec<(&str, Option<&str>)> {
    let mut all: Vec<(&str, Option<&str>)> = Vec::new();
    all.extend(m.participants.iter().map(|s| (s.peer_id.as_str(), s.display_name.as_deref())));
    all.extend(m.extern_slots.iter().map(|s| (s.call_id.as_str(), s.display_name.as_deref())));
    all.extend(m.hidden_slots.iter().map(|s| (s.0.as_str(), None)));
    all
}

/// The slot id `input` names. A slot id the layout does not list is passed on as given (the
/// room knows best); a name that fits several slots is an error.
pub fn resolve(input: &str, matrix: Option<&VideoMatrix>) -> Result<String, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("the slot is empty".into());
    }
    if is_self(input) {
        return Ok(SELF_SLOT.to_owned());
    }
    let Some(m) = matrix else { return Ok(input.to_owned()) };
    let all = slots(m);
    if all.iter().any(|(id, _)| *id == input) {
        return Ok(input.to_owned());
    }
    let call_id = |id: &str| id.split('/').next().unwrap_or(id).to_owned();
    let user = |id: &str| id.split(['@', '/']).next().unwrap_or(id).to_owned();
    let mut hits: Vec<&str> = all
        .iter()
        .filter(|(id, name)| {
            call_id(id).eq_ignore_ascii_case(input)
                || user(id).eq_ignore_ascii_case(input)
                || name.is_some_and(|n| n.eq_ignore_ascii_case(input))
        })
        .map(|(id, _)| *id)
        .collect();
    hits.dedup();
    match hits.as_slice() {
        [] => Ok(input.to_owned()),
        [one] => Ok((*one).to_owned()),
        many => Err(format!("'{input}' fits several video slots: {}", many.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tcroom_core::record::Record;

    #[test]
    fn names_become_slot_ids() {
        let m = VideoMatrix::from_json(&serde_json::json!({
            "matrixType": 1,
            "participants": [{"peerId": "#self:0"}, {"peerId": "user1@some.server/5f0c", "peerDn": "Alice"}],
            "hiddenVideoSlots": [{"callId": "user2@some.server/77"}, {"callId": "user2@some.server/78"}],
        }))
        .unwrap();
        assert_eq!(resolve("self", Some(&m)).unwrap(), "#self:0");
        assert_eq!(resolve("ME", None).unwrap(), "#self:0");
        assert_eq!(resolve("user1", Some(&m)).unwrap(), "user1@some.server/5f0c");
        assert_eq!(resolve("alice", Some(&m)).unwrap(), "user1@some.server/5f0c");
        assert_eq!(resolve("user1@some.server", Some(&m)).unwrap(), "user1@some.server/5f0c");
        assert!(resolve("user2", Some(&m)).unwrap_err().contains("several"));
        assert_eq!(resolve("nobody@x", Some(&m)).unwrap(), "nobody@x");
        assert!(!needs_layout("#self:0") && !needs_layout("self") && needs_layout("user1"));
    }
}
