//! The bulletin as a printable web page (A4, Chinese fonts declared).

use super::model::Bulletin;
use crate::error::ExportError;
use crate::export::Job;
use std::io::Write;

const TEMPLATE: &str = include_str!("bulletin.html");

/// Renders the bulletin model as HTML.
pub(crate) fn render(bulletin: &Bulletin) -> Result<String, ExportError> {
    let mut env = minijinja::Environment::new();
    // The name's extension turns on HTML escaping of every value.
    env.add_template("bulletin.html", TEMPLATE)?;
    Ok(env
        .get_template("bulletin.html")?
        .render(minijinja::Value::from(minijinja::value::Serde(bulletin)))?)
}

/// Writes the bulletin of `job` as HTML.
pub(crate) fn write_html(job: &mut Job<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let bulletin = Bulletin::gather(job)?;
    out.write_all(render(&bulletin)?.as_bytes())?;
    Ok(())
}
