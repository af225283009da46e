//! The registry of scenario fields: every field of the format (docs/model.md section 7) in
//! one place, with where it lives in the raw layer, what kind of value it takes, its range and
//! a line of help. `--set` and the layering of `extends` (edit.rs), "did you mean" and "belongs
//! in" (locate.rs, edit.rs), the source notes of reports, goal seek's reading of a field and
//! the JSON schema's scenario block all read it, so a new field is one entry here (and a field
//! on its raw struct) plus its rule in validate.rs.
//!
//! Fields are listed table by table, in the order of the raw structs (which is the order of
//! "valid here" lists); a unit test holds the two together. A path pattern names services and
//! options `[ID]`, years `YEAR` and array items `[#N]`:
//! `service[ID].option[ID].saving.central`, `service[ID].planned.YEAR`, `...ramp[#N]`.

use rust_decimal::Decimal;

use super::edit::{FieldPath, Step};
use super::raw::{
    Located, RawBias, RawBudget, RawFile, RawGap, RawGapLine, RawOption, RawPlanBudget, RawRisk,
    RawScenario, RawService, RawTracking, RawValue,
};
use super::validate::{MAX_COST_UPLIFT, MAX_FIGURE, MAX_HORIZON, MAX_SLIP_MONTHS};
use crate::model::FinancialYear;

/// What a field's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text on one line: a name, a unit, a source note.
    Text,
    /// An identifier: letters, digits, `-`, `_` and `.`.
    Id,
    /// A financial year, `"2015/16"`.
    Year,
    /// Two years, `["2015/16", "2016/17"]`.
    YearPair,
    /// A whole number of years, 1 to 100.
    Years,
    /// A whole number of months, 0 to 600.
    Months,
    /// Two whole numbers of months, `[min, max]`.
    MonthRange,
    /// A fraction from 0 to 1.
    Share,
    /// A real rate, from 0 up to (not including) 1.
    Rate,
    /// An uplift as a fraction, from 0 to 10.
    Uplift,
    /// Money, 0 or more, in the scenario's unit.
    Money,
    /// Money that may be negative (a net budget).
    SignedMoney,
    /// Money by year, `{ "2015/16" = 1 }`, each year's own amount (no wrapper).
    MoneyByYear,
    /// Amounts by year, plain or wrapped: `{ "2015/16" = 1 }`, `{ levels = { ... } }` or
    /// `{ increments = { ... } }` (docs/model.md section 9.1).
    Amounts,
    /// The years of a `levels` or `increments` wrapper.
    YearAmounts,
    /// One case of a saving: a figure, or yearly amounts (`{ levels = { ... } }`).
    CaseAmount,
    /// A saving: one figure, `{ low, central, high }`, or `{ share_of_net = ... }`.
    Saving,
    /// A share for every case: one figure or `{ low, central, high }`.
    ShareCases,
    /// A go-live: a month (`"2015-10"`) or a year (`"2015/16"`, from 1 April).
    GoLive,
    /// A calendar month, `"2025-12"`.
    Month,
    /// Confidence by RAG rating, `{ green = 1, amber = 0.5, red = 0 }`.
    Confidence,
    /// A ramp: shares reached by year from go-live, `"linear N"` or `"immediate"`.
    Ramp,
    /// `true` or `false`.
    Bool,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// The scenario file laid under this one (`builtin:` or a file ending `.toml`).
    File,
    /// The id of one of the service's options.
    OptionId,
    /// A table of fields of its own (listed in the registry).
    Table,
    /// An array of tables, each named by its `id`.
    Tables,
}

/// The values a number may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub min: Decimal,
    pub max: Decimal,
    /// Whether `max` itself is allowed.
    pub max_included: bool,
    /// Whether only whole numbers are.
    pub whole: bool,
}

impl Kind {
    /// The range of a number of this kind (none for kinds that are not one number).
    pub fn bounds(self) -> Option<Bounds> {
        let range = |min: i64, max: i64| Bounds {
            min: Decimal::from(min),
            max: Decimal::from(max),
            max_included: true,
            whole: false,
        };
        match self {
            Kind::Share => Some(range(0, 1)),
            Kind::Rate => Some(Bounds {
                max_included: false,
                ..range(0, 1)
            }),
            Kind::Uplift => Some(range(0, MAX_COST_UPLIFT)),
            Kind::Money | Kind::CaseAmount => Some(range(0, MAX_FIGURE)),
            Kind::SignedMoney => Some(range(-MAX_FIGURE, MAX_FIGURE)),
            Kind::Years => Some(Bounds {
                whole: true,
                ..range(1, i64::from(MAX_HORIZON))
            }),
            Kind::Months => Some(Bounds {
                whole: true,
                ..range(0, i64::from(MAX_SLIP_MONTHS))
            }),
            _ => None,
        }
    }

    /// The parts of a value of this kind that a path may name (`saving.central`,
    /// `planned."2015/16"`, `ramp[#2]`).
    pub fn parts(self) -> &'static [Part] {
        match self {
            Kind::Saving => SAVING_PARTS,
            Kind::ShareCases => SHARE_PARTS,
            Kind::MoneyByYear | Kind::YearAmounts => YEAR_PARTS,
            Kind::Amounts => AMOUNT_PARTS,
            Kind::CaseAmount => WRAPPER_PARTS,
            Kind::Ramp => RAMP_PARTS,
            Kind::YearPair => YEAR_PAIR_PARTS,
            Kind::MonthRange => MONTH_RANGE_PARTS,
            Kind::Confidence => CONFIDENCE_PARTS,
            _ => &[],
        }
    }

    /// Where a key of a value of this kind belongs, for "`central` belongs in ...".
    fn home(self) -> Option<&'static str> {
        match self {
            Kind::Saving => Some("a saving = { ... }"),
            _ => None,
        }
    }
}

/// What the registry says of one field.
#[derive(Debug)]
pub struct Info {
    /// Its name in its table (`overlap`), or in a value (`central`, `YEAR`, `#N`).
    pub name: &'static str,
    pub kind: Kind,
    /// One line, in the words of docs/model.md section 7.
    pub help: &'static str,
    /// Whether reports trace it to its comment or source (report notes).
    pub figure: bool,
    /// Whether an unknown-field message in another table says where it belongs.
    pub hint: bool,
    /// The kind goal seek varies it as, where that is not its own.
    pub seek_as: Option<Kind>,
}

impl Info {
    /// The kind goal seek varies it as.
    pub fn seek_kind(&self) -> Kind {
        self.seek_as.unwrap_or(self.kind)
    }
}

const fn info(name: &'static str, kind: Kind, help: &'static str) -> Info {
    Info {
        name,
        kind,
        help,
        figure: false,
        hint: true,
        seek_as: None,
    }
}

/// How a path names a part of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartStep {
    /// A key: `saving.central`.
    Key,
    /// A year key: `planned."2015/16"`.
    Year,
    /// A position: `ramp[#2]`.
    Position,
}

/// A part of a value a path may name.
#[derive(Debug)]
pub struct Part {
    pub step: PartStep,
    pub info: Info,
}

const fn key(name: &'static str, kind: Kind, help: &'static str) -> Part {
    Part {
        step: PartStep::Key,
        info: info(name, kind, help),
    }
}

static SAVING_PARTS: &[Part] = &[
    seek_as(
        key(
            "low",
            Kind::CaseAmount,
            "the low case of the saving: the steady state, or yearly amounts",
        ),
        Kind::Money,
    ),
    seek_as(
        key(
            "central",
            Kind::CaseAmount,
            "the central case of the saving: the steady state, or yearly amounts",
        ),
        Kind::Money,
    ),
    seek_as(
        key(
            "high",
            Kind::CaseAmount,
            "the high case of the saving: the steady state, or yearly amounts",
        ),
        Kind::Money,
    ),
    key(
        "share_of_net",
        Kind::ShareCases,
        "the saving as a share of the service's base-year net budget",
    ),
    key(
        "levels",
        Kind::YearAmounts,
        "the saving in force in each year (a profile, every case)",
    ),
    key(
        "increments",
        Kind::YearAmounts,
        "the saving new in each year (a profile, every case)",
    ),
];

/// `{ levels = { ... } }` or `{ increments = { ... } }`.
static WRAPPER_PARTS: &[Part] = &[
    key(
        "levels",
        Kind::YearAmounts,
        "the amount in force in each year",
    ),
    key("increments", Kind::YearAmounts, "the change in each year"),
];

/// A plain table's years, or a wrapper.
static AMOUNT_PARTS: &[Part] = &[
    Part {
        step: PartStep::Year,
        info: info("YEAR", Kind::Money, "the amount in that year"),
    },
    key(
        "levels",
        Kind::YearAmounts,
        "the amount in force in each year",
    ),
    key("increments", Kind::YearAmounts, "the change in each year"),
];

/// `part`, which goal seek varies as `kind`.
const fn seek_as(mut part: Part, kind: Kind) -> Part {
    part.info.seek_as = Some(kind);
    part
}

static YEAR_PARTS: &[Part] = &[Part {
    step: PartStep::Year,
    info: info("YEAR", Kind::Money, "the amount in that year"),
}];

static RAMP_PARTS: &[Part] = &[Part {
    step: PartStep::Position,
    info: info(
        "#N",
        Kind::Share,
        "the share of the saving reached in year N from go-live",
    ),
}];

static YEAR_PAIR_PARTS: &[Part] = &[Part {
    step: PartStep::Position,
    info: info("#N", Kind::Year, "the first (#1) or last (#2) year"),
}];

static MONTH_RANGE_PARTS: &[Part] = &[Part {
    step: PartStep::Position,
    info: info("#N", Kind::Months, "the fewest (#1) or most (#2) months"),
}];

static CONFIDENCE_PARTS: &[Part] = &[
    key(
        "green",
        Kind::Share,
        "the share of a green line's delivery counted risk-adjusted (default 1)",
    ),
    key(
        "amber",
        Kind::Share,
        "the share of an amber line's delivery counted risk-adjusted (default 0.5)",
    ),
    key(
        "red",
        Kind::Share,
        "the share of a red line's delivery counted risk-adjusted (default 0)",
    ),
];

static SHARE_PARTS: &[Part] = &[
    key("low", Kind::Share, "the low case"),
    key("central", Kind::Share, "the central case"),
    key("high", Kind::Share, "the high case"),
];

/// Where a field lives in the raw layer: how the setters and the layering reach it.
pub enum Slot<T: 'static> {
    /// A value.
    Value(fn(&mut T) -> &mut Option<RawValue>),
    /// The table's `id`: set like a value, never replaced by a layer (layers match on it).
    Id(fn(&mut T) -> &mut Option<RawValue>),
    /// Written in the file only (`extends`, `remove`): `--set` refuses it with this message
    /// and help, and a layer does not carry it over.
    FileOnly {
        slot: fn(&mut T) -> &mut Option<RawValue>,
        message: &'static str,
        help: Option<&'static str>,
    },
    Scenario(fn(&mut T) -> &mut Option<Located<RawScenario>>),
    Gap(fn(&mut T) -> &mut Option<Located<RawGap>>),
    PlanBudget(fn(&mut T) -> &mut Option<Located<RawPlanBudget>>),
    GapLines(fn(&mut T) -> &mut Vec<Located<RawGapLine>>),
    Services(fn(&mut T) -> &mut Vec<Located<RawService>>),
    Budget(fn(&mut T) -> &mut Option<Located<RawBudget>>),
    Options(fn(&mut T) -> &mut Vec<Located<RawOption>>),
    Risk(fn(&mut T) -> &mut Option<Located<RawRisk>>),
    Bias(fn(&mut T) -> &mut Option<Located<RawBias>>),
    Tracking(fn(&mut T) -> &mut Option<Located<RawTracking>>),
}

/// One field of a raw table.
pub struct Field<T: 'static> {
    pub info: Info,
    pub slot: Slot<T>,
}

/// `field`, which reports trace to its comment or source.
const fn figure<T>(mut field: Field<T>) -> Field<T> {
    field.info.figure = true;
    field
}

/// `field`, which an unknown-field message elsewhere does not suggest.
const fn no_hint<T>(mut field: Field<T>) -> Field<T> {
    field.info.hint = false;
    field
}

/// A field whose value is a value (not a table of fields).
const fn value<T>(
    name: &'static str,
    kind: Kind,
    slot: fn(&mut T) -> &mut Option<RawValue>,
    help: &'static str,
) -> Field<T> {
    field(name, kind, Slot::Value(slot), help)
}

const fn field<T>(name: &'static str, kind: Kind, slot: Slot<T>, help: &'static str) -> Field<T> {
    Field {
        info: info(name, kind, help),
        slot,
    }
}

/// A table of the raw layer and its fields, in the order of its struct.
pub struct Table<T: 'static> {
    /// Where its fields belong, for "`overlap` belongs in [scenario]" (none for a table
    /// whose fields are not suggested elsewhere).
    pub home: Option<&'static str>,
    pub fields: &'static [Field<T>],
}

impl<T> Table<T> {
    pub fn field(&self, name: &str) -> Option<&'static Field<T>> {
        self.fields.iter().find(|f| f.info.name == name)
    }

    /// The names of its fields, for "valid here" lists.
    pub fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.info.name).collect()
    }
}

// The tables below are data, one field to two lines: name, kind and slot, then its help.

/// The file: `[scenario]`, `[gap]` and the `[[service]]` tables.
#[rustfmt::skip]
pub static FILE: Table<RawFile> = Table {
    home: None,
    fields: &[
        field("scenario", Kind::Table, Slot::Scenario(|f| &mut f.scenario),
            "the scenario's settings"),
        field("gap", Kind::Table, Slot::Gap(|f| &mut f.gap),
            "the savings the MTFP needs and the gap still to find"),
        field("budget", Kind::Table, Slot::PlanBudget(|f| &mut f.budget),
            "the gap built from the budget: net or requirement, and reserves"),
        field("pressure", Kind::Tables, Slot::GapLines(|f| &mut f.pressure),
            "one table per cost pressure, [[pressure]]"),
        field("funding", Kind::Tables, Slot::GapLines(|f| &mut f.funding),
            "one table per funding line, [[funding]] (needs [budget])"),
        field("service", Kind::Tables, Slot::Services(|f| &mut f.service),
            "one table per service, [[service]]"),
        field("tracking", Kind::Table, Slot::Tracking(|f| &mut f.tracking),
            "how delivery is monitored: confidence by RAG rating"),
    ],
};

/// `[scenario]`.
#[rustfmt::skip]
pub static SCENARIO: Table<RawScenario> = Table {
    home: Some("[scenario]"),
    fields: &[
        value("name", Kind::Text, |s| &mut s.name,
            "the scenario's name in every output (default: the file's name)"),
        figure(value("base_year", Kind::Year, |s| &mut s.base_year,
            "the year the budgets describe (required)")),
        figure(value("horizon", Kind::Years, |s| &mut s.horizon,
            "years projected after the base year, 1 to 100 (default 10)")),
        value("unit", Kind::Text, |s| &mut s.unit,
            "the unit money is written in (default £m)"),
        figure(value("overlap", Kind::Share, |s| &mut s.overlap,
            "w: the share of planned savings the estimates already include, 0 to 1 (default 1)")),
        figure(value("discount_rate", Kind::Rate, |s| &mut s.discount_rate,
            "the real discount rate, 0 up to 1 (default 0.035, the Green Book's)")),
        figure(value("mtfp_period", Kind::YearPair, |s| &mut s.mtfp_period,
            "the first and last years 'meets planned savings' is tested in (default the first two projected)")),
        no_hint(field("extends", Kind::File, Slot::FileOnly {
                slot: |s| &mut s.extends,
                message: "extends cannot be set from the command line",
                help: Some("name the scenario to extend in the file"),
            },
            "the scenario this one is laid over: a file ending .toml, or builtin:")),
        value("distribution", Kind::Choice(&["triangular", "pert"]), |s| &mut s.distribution,
            "how simulation draws a saving between low and high (default triangular)"),
        figure(field("optimism_bias", Kind::Table, Slot::Bias(|s| &mut s.optimism_bias),
            "optimism bias for every option: a haircut on savings, an uplift on costs, a delay")),
        value("source", Kind::Text, |s| &mut s.source,
            "where the scenario-wide figures come from"),
        figure(value("as_at", Kind::Month, |s| &mut s.as_at,
            "the month delivered and forecast figures describe, \"2025-12\"; its year is the current year")),
    ],
};

/// `optimism_bias = { saving, cost, delay_months }`, in `[scenario]` or an option.
#[rustfmt::skip]
pub static BIAS: Table<RawBias> = Table {
    home: None,
    fields: &[
        value("saving", Kind::Share, |b| &mut b.saving,
            "the share taken off every saving, 0 to 1"),
        value("cost", Kind::Uplift, |b| &mut b.cost,
            "the uplift on one-off costs, as a fraction from 0 to 10"),
        value("delay_months", Kind::Months, |b| &mut b.delay_months,
            "months added to every go-live, 0 to 600"),
    ],
};

/// `[gap]`.
#[rustfmt::skip]
pub static GAP: Table<RawGap> = Table {
    home: Some("[gap]"),
    fields: &[
        figure(value("required", Kind::Amounts, |g| &mut g.required,
            "each year's total savings requirement, as the MTFP states it (context only)")),
        figure(value("unidentified", Kind::Amounts, |g| &mut g.unidentified,
            "G: the gap still to be found, new in each year (or wrapped: levels, increments)")),
        value("source", Kind::Text, |g| &mut g.source,
            "where the gap's figures come from"),
    ],
};

/// `[budget]`.
#[rustfmt::skip]
pub static PLAN_BUDGET: Table<RawPlanBudget> = Table {
    home: Some("[budget]"),
    fields: &[
        figure(value("net", Kind::Money, |b| &mut b.net,
            "the net budget of the base year, rolled forward and increased by the pressures")),
        figure(value("requirement", Kind::Amounts, |b| &mut b.requirement,
            "the budget requirement by year as printed (levels), instead of net and pressures")),
        figure(value("reserves", Kind::MoneyByYear, |b| &mut b.reserves,
            "one-off use of reserves, in its own year only (negative: a contribution)")),
        value("source", Kind::Text, |b| &mut b.source,
            "where the budget's figures come from"),
    ],
};

/// `[[pressure]]` and `[[funding]]`.
#[rustfmt::skip]
pub static GAP_LINE: Table<RawGapLine> = Table {
    home: Some("a [[pressure]] or [[funding]] line"),
    fields: &[
        field("id", Kind::Id, Slot::Id(|l| &mut l.id),
            "the line's id, unique among its kind (required)"),
        value("name", Kind::Text, |l| &mut l.name,
            "the line's name (default its id)"),
        figure(value("amount", Kind::Amounts, |l| &mut l.amount,
            "the amounts by year: a pressure's are increments, a funding line's levels, unless wrapped (required)")),
        figure(value("low", Kind::Amounts, |l| &mut l.low,
            "the low end of the amounts, for sensitivity only, in the same forms as amount (default: amount)")),
        figure(value("high", Kind::Amounts, |l| &mut l.high,
            "the high end of the amounts, for sensitivity only, in the same forms as amount (default: amount)")),
        value("area", Kind::Text, |l| &mut l.area,
            "the directorate or portfolio it belongs to"),
        value("source", Kind::Text, |l| &mut l.source,
            "where the line's figures come from"),
        field("remove", Kind::Bool, Slot::FileOnly {
                slot: |l| &mut l.remove,
                message: "remove cannot be set from the command line",
                help: None,
            },
            "true: drop this line from the scenario extended"),
    ],
};

/// `[[service]]`.
#[rustfmt::skip]
pub static SERVICE: Table<RawService> = Table {
    home: Some("a [[service]] table"),
    fields: &[
        field("id", Kind::Id, Slot::Id(|s| &mut s.id),
            "the service's id, unique and never total (required)"),
        value("name", Kind::Text, |s| &mut s.name,
            "the service's name (default its id)"),
        value("area", Kind::Text, |s| &mut s.area,
            "the directorate or portfolio its lines are subtotalled under"),
        figure(field("budget", Kind::Table, Slot::Budget(|s| &mut s.budget),
            "the base year's budget, { gross, net }")),
        figure(value("planned", Kind::Amounts, |s| &mut s.planned,
            "P: savings already in the MTFP, new in each year (or wrapped: levels, increments)")),
        value("choose", Kind::OptionId, |s| &mut s.choose,
            "the option taken forward (default the preferred one)"),
        value("deferred", Kind::Bool, |s| &mut s.deferred,
            "true: no option is taken forward, and that is meant"),
        value("source", Kind::Text, |s| &mut s.source,
            "where the service's figures come from"),
        field("remove", Kind::Bool, Slot::FileOnly {
                slot: |s| &mut s.remove,
                message: "remove cannot be set from the command line",
                help: Some("use --defer SERVICE to treat a service as deferred"),
            },
            "true: drop this service from the scenario extended"),
        no_hint(figure(value("saving", Kind::Saving, |s| &mut s.saving,
            "a one-line service's saving: S, or yearly amounts { levels = { ... } }"))),
        no_hint(figure(value("start", Kind::GoLive, |s| &mut s.start,
            "a one-line service's go-live (not with yearly amounts)"))),
        no_hint(figure(value("ramp", Kind::Ramp, |s| &mut s.ramp,
            "a one-line service's ramp (not with yearly amounts)"))),
        no_hint(figure(value("one_off_cost", Kind::MoneyByYear, |s| &mut s.one_off_cost,
            "a one-line service's one-off costs"))),
        no_hint(figure(field("risk", Kind::Table, Slot::Risk(|s| &mut s.risk),
            "a one-line service's delivery risk, { fail, slip_months }"))),
        no_hint(figure(value("group", Kind::Id, |s| &mut s.group,
            "a one-line service's procurement group"))),
        no_hint(value("distribution", Kind::Choice(&["triangular", "pert"]), |s| &mut s.distribution,
            "how simulation draws a one-line service's saving")),
        no_hint(figure(field("optimism_bias", Kind::Table, Slot::Bias(|s| &mut s.optimism_bias),
            "a one-line service's optimism bias"))),
        no_hint(value("status", Kind::Choice(&["proposed", "approved", "in-base", "withdrawn"]), |s| &mut s.status,
            "a one-line service's status (default proposed)")),
        no_hint(figure(value("delivered", Kind::MoneyByYear, |s| &mut s.delivered,
            "a one-line service's in-year saving achieved, by past or current year"))),
        no_hint(figure(value("forecast", Kind::MoneyByYear, |s| &mut s.forecast,
            "a one-line service's in-year saving now expected, by current or later year"))),
        no_hint(value("rag", Kind::Choice(&["blue", "green", "amber", "red"]), |s| &mut s.rag,
            "a one-line service's RAG rating: blue, green, amber or red")),
        field("option", Kind::Tables, Slot::Options(|s| &mut s.option),
            "one table per option the review weighed, [[service.option]]"),
    ],
};

/// `budget = { gross, net }`.
#[rustfmt::skip]
pub static BUDGET: Table<RawBudget> = Table {
    home: Some("a service's budget = { gross, net }"),
    fields: &[
        value("gross", Kind::Money, |b| &mut b.gross,
            "the gross budget in the base year"),
        value("net", Kind::SignedMoney, |b| &mut b.net,
            "the net budget in the base year: gross less income and grants, at most gross"),
    ],
};

/// `[[service.option]]`.
#[rustfmt::skip]
pub static OPTION: Table<RawOption> = Table {
    home: Some("an option's [[service.option]] table"),
    fields: &[
        field("id", Kind::Id, Slot::Id(|o| &mut o.id),
            "the option's id, unique within its service (required)"),
        value("name", Kind::Text, |o| &mut o.name,
            "the option's name (default its id)"),
        value("preferred", Kind::Bool, |o| &mut o.preferred,
            "true: the review's preferred option, taken forward unless the service chooses another"),
        figure(value("saving", Kind::Saving, |o| &mut o.saving,
            "S: the steady-state saving a year, one figure or { low, central, high }, or yearly amounts (required)")),
        figure(value("start", Kind::GoLive, |o| &mut o.start,
            "the go-live: a month \"2015-10\" or a year \"2015/16\" (required, except with yearly amounts)")),
        figure(value("ramp", Kind::Ramp, |o| &mut o.ramp,
            "the shares of S reached by year from go-live, \"linear N\" or \"immediate\" (the default)")),
        figure(value("one_off_cost", Kind::MoneyByYear, |o| &mut o.one_off_cost,
            "C: money spent in each year to deliver the option")),
        figure(field("risk", Kind::Table, Slot::Risk(|o| &mut o.risk),
            "delivery risk, { fail, slip_months }")),
        figure(value("group", Kind::Id, |o| &mut o.group,
            "the procurement the option shares with others: they fail or slip together")),
        value("distribution", Kind::Choice(&["triangular", "pert"]), |o| &mut o.distribution,
            "how simulation draws this saving (default the scenario's)"),
        figure(field("optimism_bias", Kind::Table, Slot::Bias(|o| &mut o.optimism_bias),
            "this option's optimism bias, replacing the scenario's field by field")),
        value("status", Kind::Choice(&["proposed", "approved", "in-base", "withdrawn"]), |o| &mut o.status,
            "where the saving stands: proposed (the default), approved, in-base or withdrawn"),
        figure(value("delivered", Kind::MoneyByYear, |o| &mut o.delivered,
            "the in-year saving achieved, by past or current year (approved or withdrawn, with as_at)")),
        figure(value("forecast", Kind::MoneyByYear, |o| &mut o.forecast,
            "the in-year saving now expected, by current or later year (approved or withdrawn, with as_at)")),
        value("rag", Kind::Choice(&["blue", "green", "amber", "red"]), |o| &mut o.rag,
            "the RAG rating: blue delivered, green on track, amber at risk, red will not deliver as planned"),
        value("source", Kind::Text, |o| &mut o.source,
            "where the option's figures come from"),
        field("remove", Kind::Bool, Slot::FileOnly {
                slot: |o| &mut o.remove,
                message: "remove cannot be set from the command line",
                help: None,
            },
            "true: drop this option from the scenario extended"),
    ],
};

/// `risk = { fail, slip_months }`.
#[rustfmt::skip]
pub static RISK: Table<RawRisk> = Table {
    home: Some("an option's risk = { fail, slip_months }"),
    fields: &[
        value("fail", Kind::Share, |r| &mut r.fail,
            "the chance the procurement fails, 0 to 1"),
        value("slip_months", Kind::MonthRange, |r| &mut r.slip_months,
            "how many whole months it may slip, [min, max]"),
    ],
};

/// `[tracking]`.
#[rustfmt::skip]
pub static TRACKING: Table<RawTracking> = Table {
    home: Some("[tracking]"),
    fields: &[
        figure(value("confidence", Kind::Confidence, |t| &mut t.confidence,
            "the share of a rated line's delivery counted risk-adjusted: { green = 1, amber = 0.5, red = 0 }")),
    ],
};

/// A table of the registry, whatever its raw struct: what the walks below need.
trait AnyTable: Sync {
    fn home(&self) -> Option<&'static str>;
    /// Each field, with what it holds.
    fn each(&self) -> Vec<(&'static Info, Holds)>;
}

/// What a field holds: a value, a table of fields, or an array of tables named by id.
#[derive(Clone, Copy)]
enum Holds {
    Value,
    Table(&'static dyn AnyTable),
    Tables(&'static dyn AnyTable),
}

impl<T> AnyTable for Table<T> {
    fn home(&self) -> Option<&'static str> {
        self.home
    }

    fn each(&self) -> Vec<(&'static Info, Holds)> {
        self.fields
            .iter()
            .map(|f| (&f.info, f.slot.holds()))
            .collect()
    }
}

impl<T> Slot<T> {
    /// What the field in this slot holds.
    fn holds(&self) -> Holds {
        match self {
            Slot::Scenario(_) => Holds::Table(&SCENARIO),
            Slot::Gap(_) => Holds::Table(&GAP),
            Slot::PlanBudget(_) => Holds::Table(&PLAN_BUDGET),
            Slot::GapLines(_) => Holds::Tables(&GAP_LINE),
            Slot::Services(_) => Holds::Tables(&SERVICE),
            Slot::Budget(_) => Holds::Table(&BUDGET),
            Slot::Options(_) => Holds::Tables(&OPTION),
            Slot::Risk(_) => Holds::Table(&RISK),
            Slot::Bias(_) => Holds::Table(&BIAS),
            Slot::Tracking(_) => Holds::Table(&TRACKING),
            Slot::Value(_) | Slot::Id(_) | Slot::FileOnly { .. } => Holds::Value,
        }
    }
}

/// One entry of the registry with its path pattern.
#[derive(Debug)]
pub struct Entry {
    /// `scenario.overlap`, `service[ID].option[ID].saving.central`, `service[ID].planned.YEAR`.
    pub path: String,
    pub info: &'static Info,
    /// Whether it is a field of a raw struct (not a part of a value).
    pub field: bool,
}

/// Every field and part of a value, parents before children, in the order of the structs.
pub fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    walk(&FILE, "", &mut out);
    out
}

fn walk(table: &dyn AnyTable, prefix: &str, out: &mut Vec<Entry>) {
    for (info, holds) in table.each() {
        let path = join(prefix, info.name);
        out.push(Entry {
            path: path.clone(),
            info,
            field: true,
        });
        match holds {
            Holds::Tables(child) => walk(child, &format!("{path}[ID]"), out),
            Holds::Table(child) => walk(child, &path, out),
            Holds::Value => walk_parts(info.kind, &path, out),
        }
    }
}

fn walk_parts(kind: Kind, prefix: &str, out: &mut Vec<Entry>) {
    for part in kind.parts() {
        let path = match part.step {
            PartStep::Key | PartStep::Year => format!("{prefix}.{}", part.info.name),
            PartStep::Position => format!("{prefix}[{}]", part.info.name),
        };
        out.push(Entry {
            path: path.clone(),
            info: &part.info,
            field: false,
        });
        walk_parts(part.info.kind, &path, out);
    }
}

/// The field or part of a value that `path` names (services and options by any id or
/// position, a year by any year), if the format has one there.
pub fn resolve(path: &FieldPath) -> Option<&'static Info> {
    resolve_in(&FILE, &path.0)
}

fn resolve_in(table: &dyn AnyTable, steps: &[Step]) -> Option<&'static Info> {
    let [Step::Key(name), rest @ ..] = steps else {
        return None;
    };
    let (info, holds) = table.each().into_iter().find(|(i, _)| i.name == name)?;
    match (holds, rest) {
        (_, []) => Some(info),
        (Holds::Tables(child), [Step::Id(_) | Step::Position(_), rest @ ..]) => {
            resolve_in(child, rest)
        }
        (Holds::Tables(_), _) => None,
        (Holds::Table(child), rest) => resolve_in(child, rest),
        (Holds::Value, rest) => resolve_part(info.kind, rest),
    }
}

fn resolve_part(kind: Kind, steps: &[Step]) -> Option<&'static Info> {
    let (step, rest) = steps.split_first()?;
    let part = part_of(kind, step)?;
    if rest.is_empty() {
        Some(part)
    } else {
        resolve_part(part.kind, rest)
    }
}

/// The part of a value of `kind` that one step of a path names (`central` of a saving, a
/// year of a table of amounts), if the format has one.
pub fn part_of(kind: Kind, step: &Step) -> Option<&'static Info> {
    kind.parts()
        .iter()
        .find(|p| match (p.step, step) {
            (PartStep::Key, Step::Key(k)) => *k == p.info.name,
            (PartStep::Year, Step::Key(k)) => FinancialYear::parse(k).is_ok(),
            (PartStep::Position, Step::Position(_)) => true,
            _ => false,
        })
        .map(|p| &p.info)
}

/// The first field of a raw struct called `name`, in any table (`start` is an option's).
pub fn named(name: &str) -> Option<&'static Info> {
    entries()
        .into_iter()
        .find(|e| e.field && e.info.name == name)
        .map(|e| e.info)
}

/// The tables whose fields are suggested elsewhere, with their path patterns and fields,
/// in the order of the file: `scenario`, `gap`, `service[ID]`, `service[ID].budget`,
/// `service[ID].option[ID]`, `service[ID].option[ID].risk`.
pub fn homes() -> Vec<(String, &'static str, Vec<&'static Info>)> {
    let mut out = Vec::new();
    homes_in(&FILE, "", &mut out);
    out
}

fn homes_in(
    table: &dyn AnyTable,
    prefix: &str,
    out: &mut Vec<(String, &'static str, Vec<&'static Info>)>,
) {
    let fields = table.each();
    if let Some(home) = table.home() {
        out.push((
            prefix.to_string(),
            home,
            fields.iter().map(|(info, _)| *info).collect(),
        ));
    }
    for (info, holds) in fields {
        let path = join(prefix, info.name);
        match holds {
            Holds::Tables(child) => homes_in(child, &format!("{path}[ID]"), out),
            Holds::Table(child) => homes_in(child, &path, out),
            Holds::Value => {}
        }
    }
}

/// `prefix.name`, or `name` at the top.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Where a field of the format lives, for "`saving` belongs in an option's
/// [[service.option]] table": the one table (or value) that has a field of that name. A
/// name found in several has no one home, and none is given.
pub fn home_of(name: &str) -> Option<&'static str> {
    let tables = homes()
        .into_iter()
        .filter(|(_, _, fields)| fields.iter().any(|f| f.name == name && f.hint))
        .map(|(_, home, _)| home);
    let values = entries().into_iter().filter_map(|e| {
        let home = e.info.kind.home()?;
        e.info
            .kind
            .parts()
            .iter()
            .any(|p| p.step == PartStep::Key && p.info.name == name)
            .then_some(home)
    });
    let mut found: Vec<&str> = tables.chain(values).collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [home] => Some(home),
        _ => None,
    }
}

/// The figures of each table that reports trace to a comment or source, in struct order.
pub fn figures<T>(table: &Table<T>) -> impl Iterator<Item = &'static str> {
    table
        .fields
        .iter()
        .filter(|f| f.info.figure)
        .map(|f| f.info.name)
}

/// How the JSON outputs write a value of `kind` (`name` is the field's, for a table's own
/// definition), as a JSON schema; none for kinds the outputs do not write as such.
pub fn json_schema(name: &str, kind: Kind) -> Option<serde_json::Value> {
    use serde_json::json;
    Some(match kind {
        Kind::Text | Kind::Id | Kind::OptionId => json!({ "type": "string" }),
        Kind::Year => json!({ "$ref": "#/$defs/year" }),
        Kind::YearPair => json!({
            "type": "array",
            "items": { "$ref": "#/$defs/year" },
            "minItems": 2,
            "maxItems": 2
        }),
        Kind::Years | Kind::Months => json!({ "type": "string", "pattern": "^[0-9]+$" }),
        Kind::Share | Kind::Rate | Kind::Uplift | Kind::Money | Kind::SignedMoney => {
            json!({ "$ref": "#/$defs/decimal" })
        }
        Kind::Choice(words) => json!({ "enum": words }),
        Kind::Month => json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" }),
        // The chain of scenarios extended, by name, nearest first.
        Kind::File => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::Table => json!({ "$ref": format!("#/$defs/{name}") }),
        _ => return None,
    })
}

/// The tables the JSON schema describes by their fields: the scenario block, and the
/// optimism bias it refers to.
pub fn json_tables() -> [(&'static str, Vec<&'static Info>); 2] {
    [
        (
            "scenario",
            SCENARIO.fields.iter().map(|f| &f.info).collect(),
        ),
        (
            "optimism_bias",
            BIAS.fields.iter().map(|f| &f.info).collect(),
        ),
    ]
}

#[cfg(test)]
mod tests;
