//! Scenario files.

use std::time::Duration;

use tcroom_emulator::{config_from_scenario, Answer, AuthMode, CreatedOrder};

#[test]
fn example_scenario_parses() {
    let text = include_str!("../scenarios/example.json");
    let c = config_from_scenario(text).expect("example is valid");
    assert_eq!(c.auth, AuthMode::Pin("1234".into()));
    assert_eq!(c.created_order, CreatedOrder::ConferenceCreatedFirst);
    assert_eq!(c.users.len(), 3);
    assert_eq!(c.users[0].answer, Answer::Join { delay: Duration::from_millis(200) });
    assert_eq!(c.users[1].answer, Answer::Reject { cause: 2, delay: Duration::from_millis(100) });
    assert!(c.users[2].moderator);
    assert_eq!(c.default_answer, Answer::NoAnswer);
    assert_eq!(c.users[2].answer, Answer::NoAnswer, "users without answer take default_answer");
    assert_eq!(c.tariff["createMulti"], true, "tariff keys merge over the default");
    assert_eq!(c.tariff["tariffName"], "Pro");
}

#[test]
fn empty_scenario_is_the_default_and_typos_are_errors() {
    let c = config_from_scenario("{}").expect("empty is fine");
    assert_eq!(c.own_id, "room@some.server");
    assert_eq!(c.initial_app_state, 3);
    assert!(config_from_scenario(r#"{"pinn": "1"}"#).is_err());
    assert!(config_from_scenario(r#"{"initial_app_state": 9}"#).is_err());
    assert!(config_from_scenario("not json").is_err());
    let c = config_from_scenario(r#"{"auth": "unsecured", "default_answer": {"type": "join"}}"#).expect("ok");
    assert_eq!(c.auth, AuthMode::Unsecured);
    assert_eq!(c.default_answer, Answer::Join { delay: Duration::ZERO });
}

#[test]
fn handles_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<tcroom_emulator::Emulator>();
    check::<tcroom_emulator::Faults>();
    check::<tcroom_emulator::EmulatorConfig>();
}
