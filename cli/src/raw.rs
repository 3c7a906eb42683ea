//! `tcroom call-raw METHOD [JSON]`: any command, raw (what `tcroom call` was before it placed
//! calls).

use crate::exit::{Failure, Outcome, ERROR};
use crate::output::{pretty, redact};
use crate::target::Target;
use serde_json::Value;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The command, e.g. getAppState.
    method: String,
    /// Its parameters as a JSON object, e.g. '{"forAll":true}'.
    params: Option<String>,
    #[command(flatten)]
    target: Target,
}

pub async fn run(a: Args) -> Outcome {
    let params: Value = match &a.params {
        Some(text) => serde_json::from_str(text)
            .map_err(|e| Failure::new(ERROR, format!("parameters are not valid JSON: {e}")))?,
        None => Value::Null,
    };
    if !(params.is_object() || params.is_null()) {
        return Err(Failure::new(ERROR, "parameters must be a JSON object"));
    }
    let session = a.target.connect(&[]).await?;
    // Nobody reads the events here: dropping the stream drops them as they come (under an event
    // flood it would otherwise grow until the reply arrives).
    drop(session.events);
    let result = session.client.request(&a.method, params).await;
    // Tokens and credentials in a reply (getTokenForHttpServer, auth) are never printed.
    match result {
        Ok(reply) => {
            crate::output::emit(&pretty(&redact(reply)));
            session.client.close().await;
            Ok(())
        }
        Err(tcroom_core::Error::Refused { raw, method, message }) => {
            crate::output::emit(&pretty(&redact(raw)));
            Err(tcroom_core::Error::Refused { raw: Value::Null, method, message }.into())
        }
        Err(e) => Err(e.into()),
    }
}
