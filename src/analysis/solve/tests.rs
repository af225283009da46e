//! Unit tests of goal seek (solve.rs).

use super::*;

#[test]
fn targets_read_as_typed() -> Result<(), String> {
    assert_eq!(
        Target::parse("gap-closed=2016/17")?.to_string(),
        "gap-closed=2016/17"
    );
    assert_eq!(
        Target::parse("meets-plan=legal")?,
        Target::MeetsPlan("legal".into())
    );
    assert_eq!(
        Target::parse("ten-year-total=200")?.to_string(),
        "ten-year-total=200"
    );
    for bad in [
        "gap-closed=2016/18",
        "ten-year-total=x",
        "closed=2016/17",
        "gap-closed",
    ] {
        assert!(Target::parse(bad).is_err(), "{bad}");
    }
    Ok(())
}

#[test]
fn fields_are_recognised() -> Result<(), String> {
    let field = |p: &str| FieldPath::parse(p).and_then(|p| field_of(&p).map(|_| ()));
    field("service[hr].option[jv].saving.central")?;
    field("service[hr].option[jv].start")?;
    field("scenario.overlap")?;
    field("gap.unidentified.\"2016/17\"")?;
    assert!(field("service[hr].name").is_err());
    // Quantities and ranges come from the registry's kinds.
    let number = |p: &str| match FieldPath::parse(p).and_then(|p| field_of(&p)) {
        Ok(Field::Number {
            lo, hi, quantity, ..
        }) => Ok((lo.to_string(), hi.to_string(), quantity)),
        Ok(_) => Err(format!("{p}: not a number")),
        Err(e) => Err(e),
    };
    assert_eq!(
        number("scenario.discount_rate")?,
        ("0".into(), "0.9999".into(), Quantity::Rate)
    );
    assert_eq!(
        number("service[hr].budget.net")?.0,
        "-1000000000000".to_string()
    );
    assert_eq!(
        number("service[hr].option[jv].ramp[#2]")?.2,
        Quantity::Share
    );
    // A field named without its table is tried as that field, so that setting it says
    // where the field is.
    assert_eq!(number("overlap")?.2, Quantity::Share);
    assert!(matches!(
        FieldPath::parse("gap.start").and_then(|p| field_of(&p)),
        Ok(Field::Start)
    ));
    for not_varied in [
        "scenario.mtfp_period",
        "service[hr].option[jv].risk.slip_months",
        "service[hr].planned",
        "scenario.overlap.x",
    ] {
        assert!(field(not_varied).is_err(), "{not_varied}");
    }
    let central = FieldPath::parse("service[hr].option[jv].saving.central")?;
    let (option, case) = saving_case(&central).ok_or("not a saving case")?;
    assert_eq!(
        (option.to_string().as_str(), case),
        ("service[hr].option[jv]", "central")
    );
    for other in [
        "service[hr].option[jv].saving",
        "service[hr].option[jv].saving.share_of_net.central",
        "scenario.optimism_bias.saving",
    ] {
        assert!(saving_case(&FieldPath::parse(other)?).is_none(), "{other}");
    }
    Ok(())
}
