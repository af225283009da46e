//! Commands about the tool itself: the JSON schema, shell completions, the manual page.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output::sink::Destination;
use crate::scenario::fields;

/// The JSON schema of every `--format json` output (schema family `savings-modeller/1`), as
/// published in the repository.
pub const SCHEMA: &str = include_str!("../../schema/savings-modeller-1.schema.json");

pub fn schema() -> Result<Exit> {
    let text = schema_text()?;
    Destination::stdout().write(|out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(Exit::Success)
}

/// The published schema with the fields of its scenario block (and of the optimism bias in
/// it) described as the registry of scenario fields gives them, so that the two cannot
/// drift; a test holds the published file to this text.
pub fn schema_text() -> Result<String> {
    let mut document: serde_json::Value = serde_json::from_str(SCHEMA)?;
    for (name, fields) in fields::json_tables() {
        let Some(properties) = properties_of(&mut document["$defs"][name]) else {
            continue;
        };
        for (key, schema) in properties.iter_mut() {
            let described = fields
                .iter()
                .find(|f| f.name == key)
                .and_then(|f| fields::json_schema(f.name, f.kind));
            if let Some(described) = described {
                *schema = described;
            }
        }
    }
    Ok(serde_json::to_string_pretty(&document)? + "\n")
}

/// The `properties` of an object schema, or of the object among its `anyOf` (a field that
/// may be null).
fn properties_of(
    schema: &mut serde_json::Value,
) -> Option<&mut serde_json::Map<String, serde_json::Value>> {
    if schema.get("properties").is_some() {
        return schema.get_mut("properties")?.as_object_mut();
    }
    schema
        .get_mut("anyOf")?
        .as_array_mut()?
        .iter_mut()
        .find_map(|s| s.get_mut("properties"))?
        .as_object_mut()
}

pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    let mut command = Cli::command();
    Destination::stdout().write(|out| {
        clap_complete::generate(shell, &mut command, "savings", out);
        Ok(())
    })?;
    Ok(Exit::Success)
}

pub fn man() -> Result<Exit> {
    let command = Cli::command();
    Destination::stdout().write(|out| Ok(clap_mangen::Man::new(command).render(out)?))?;
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_schema_describes_scenario_fields_as_the_registry_does() -> Result<()> {
        // The file in the repository is what `savings schema` prints: regenerate it with
        // `savings schema > schema/savings-modeller-1.schema.json` after changing a field.
        assert!(
            schema_text()? == SCHEMA,
            "the schema file and the registry disagree"
        );
        // Every field of the scenario block but `file` (the scenario's own file name) comes
        // from the registry, so the comparison above is not vacuous.
        let document: serde_json::Value = serde_json::from_str(SCHEMA)?;
        let block = document["$defs"]["scenario"]["properties"]
            .as_object()
            .ok_or_else(|| anyhow::anyhow!("no scenario block"))?;
        let [(_, scenario), _] = fields::json_tables();
        for key in block.keys().filter(|k| *k != "file") {
            let field = scenario.iter().find(|f| f.name == key);
            assert!(
                field.is_some_and(|f| fields::json_schema(f.name, f.kind).is_some()),
                "{key}"
            );
        }
        Ok(())
    }
}
