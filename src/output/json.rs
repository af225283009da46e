//! `--format json`: schema `savings-modeller/1`. The same rows as the CSV, plus the summary
//! per case, the meets-plan test per service, the deferred services and the MTFP context.
//! Every number is a string so that it stays exact; the README documents each field.
//! Documents are written by serde_json through one buffer, except the `run` document's rows,
//! hundreds of thousands for a large plan, which `write_rows` writes directly, byte for byte
//! as serde_json would.

use std::io::Write;

use serde::Serialize;

use crate::model::{
    Case, Cases, FinancialYear, Money, OptimismBias, Requirement, SavingBasis, Scenario, plain,
};
use crate::projection::{MeetsPlan, Projection, Series, Subtotal, Summary};

use super::longform::{Repeated, YearTexts};
use super::{PROGRAM, RunReport};
use crate::projection::rows::visit_rows;

/// The schema name and version; changing the shape of the output is a new version.
pub const SCHEMA: &str = "savings-modeller/1";

/// `{ "low": f(low), "central": f(central), "high": f(high) }`.
pub fn cases<T, V: Serialize>(cases: &Cases<T>, f: impl Fn(&T) -> V) -> serde_json::Value {
    serde_json::json!({
        "low": f(&cases.low),
        "central": f(&cases.central),
        "high": f(&cases.high),
    })
}

/// The meets-plan test: whether it holds, and the margin in each MTFP year.
pub fn meets_plan(test: &MeetsPlan) -> serde_json::Value {
    serde_json::to_value(MeetsPlanJson::new(test)).unwrap_or_default()
}

/// The figures over the horizon of one case.
pub fn summary(s: &Summary) -> serde_json::Value {
    serde_json::json!({
        "total_saving": s.total_saving.to_string(),
        "average_per_year": s.average_per_year.to_string(),
        "steady_state_saving": s.steady_state.to_string(),
        "npv": s.npv.to_string(),
        "payback_year": s.payback.year().map(|y| y.to_string()),
        "payback_needed": s.payback.needed(),
        "closed_years": s.closed_years.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// An optimism bias, or `null`.
pub fn bias(bias: &Option<OptimismBias>) -> serde_json::Value {
    match bias {
        None => serde_json::Value::Null,
        Some(b) => serde_json::json!({
            "saving": b.saving.to_string(),
            "cost": plain(b.cost),
            "delay_months": b.delay_months.to_string(),
        }),
    }
}

/// The `scenario` block every document gives: the scenario's settings and where it came from,
/// one shape and one key order whichever command writes it.
pub fn scenario_info<'a>(
    scenario: &'a Scenario,
    file: &'a str,
    extends: &'a [String],
) -> ScenarioInfo<'a> {
    ScenarioInfo {
        name: &scenario.name,
        file,
        extends,
        base_year: scenario.base_year.to_string(),
        horizon: scenario.horizon.to_string(),
        unit: &scenario.unit,
        overlap: scenario.overlap.to_string(),
        discount_rate: scenario.discount_rate.to_string(),
        mtfp_period: [
            scenario.mtfp_period.0.to_string(),
            scenario.mtfp_period.1.to_string(),
        ],
        optimism_bias: bias(&scenario.optimism_bias),
        distribution: scenario.distribution.name(),
        as_at: scenario.tracking.as_at.map(|m| m.to_string()),
    }
}

/// The `scenario` block (see [`scenario_info`]), its keys in this order.
#[derive(Serialize)]
pub struct ScenarioInfo<'a> {
    name: &'a str,
    file: &'a str,
    extends: &'a [String],
    base_year: String,
    horizon: String,
    unit: &'a str,
    overlap: String,
    discount_rate: String,
    mtfp_period: [String; 2],
    optimism_bias: serde_json::Value,
    distribution: &'static str,
    /// The month tracked figures describe (docs/model.md section 10), where the scenario
    /// gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    as_at: Option<String>,
}

/// The deferred services, as `run` lists them.
pub fn deferred(scenario: &Scenario) -> serde_json::Value {
    serde_json::Value::Array(
        scenario
            .deferred()
            .map(|s| {
                serde_json::json!({
                    "id": s.id,
                    "name": s.name,
                    "options": s.options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
                    "planned_base_year": s.planned.get(scenario.base_year).to_string(),
                    "planned": s
                        .planned
                        .written_increments(&scenario.years().collect::<Vec<_>>())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(y, m)| serde_json::json!({ "year": y.to_string(), "value": m.to_string() }))
                        .collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// Writes a document, pretty-printed, with a final newline.
pub fn write_value(document: &serde_json::Value, out: &mut dyn Write) -> anyhow::Result<()> {
    write_pretty(document, out)
}

/// Writes any document as [`write_value`] does, through one buffer of its own: serde_json
/// writes a token at a time (a quote, a key, two spaces of indent), and each write through
/// `&mut dyn Write` would be a call that cannot be inlined.
pub fn write_pretty<T: Serialize + ?Sized>(
    document: &T,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buffered, document)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// Writes the `run` document. Its rows (a value per service, measure, year and case: 137,761
/// for a thousand services) are written by `write_rows`; the rest, a small part of the
/// whole (about 2 MB of 27 for a thousand services), by serde_json into memory first, with
/// `"rows": []` where the rows go.
pub fn write_run(report: &RunReport, out: &mut dyn Write) -> anyhow::Result<()> {
    let document = serde_json::to_vec_pretty(&Document::new(report))?;
    // A line break in the document is serde_json's layout (one in a string is written `\n`),
    // and only the document's own keys, each written once, are indented by two spaces: so
    // this is the rows' key.
    const ROWS: &[u8] = b"\n  \"rows\": []";
    let at = document
        .windows(ROWS.len())
        .position(|w| w == ROWS)
        .ok_or_else(|| anyhow::anyhow!("internal error: the JSON document has no rows"))?;
    let (before, after) = document.split_at(at + ROWS.len() - "[]".len());
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    buffered.write_all(before)?;
    write_rows(&mut buffered, report.scenario, report.projection)?;
    buffered.write_all(&after["[]".len()..])?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    kind: &'static str,
    program: &'static str,
    scenario: ScenarioInfo<'a>,
    overrides: &'a [String],
    years: Vec<String>,
    rows: RowsWrittenApart,
    summary: CasesOf<SummaryJson>,
    services: Vec<ServiceJson<'a>>,
    deferred: Vec<DeferredJson<'a>>,
    context: Context,
    /// What the gap to date is built from (docs/model.md section 9.5); `null` where the
    /// scenario gives only `gap.unidentified`.
    gap_build: Option<GapBuildJson<'a>>,
    /// D, LP and N by status and by area (docs/model.md section 9.4).
    subtotals: SubtotalsJson<'a>,
    /// Delivery tracking (docs/model.md section 10), where the scenario tracks delivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    tracking: Option<TrackingJson<'a>>,
}

#[derive(Serialize)]
struct TrackingJson<'a> {
    as_at: Option<String>,
    current_year: Option<String>,
    /// Which delivery every figure of the document counts: `forecast` or `risk-adjusted`.
    delivery: &'static str,
    confidence: ConfidenceJson,
    lines: Vec<TrackedLineJson<'a>>,
    /// The remaining gap `R(y)`, central case, in each view of delivery.
    remaining_gap: ViewsJson,
    /// The total in-year saving `D(y)`, central case, in each view of delivery.
    in_year_saving: ViewsJson,
    savings_at_risk: Vec<YearValue>,
}

#[derive(Serialize)]
struct ConfidenceJson {
    green: String,
    amber: String,
    red: String,
}

#[derive(Serialize)]
struct ViewsJson {
    planned: Vec<YearValue>,
    forecast: Vec<YearValue>,
    risk_adjusted: Vec<YearValue>,
}

impl ViewsJson {
    fn new(years: &[FinancialYear], views: &crate::projection::Views<Series>) -> Self {
        Self {
            planned: by_year(years, &views.planned),
            forecast: by_year(years, &views.forecast),
            risk_adjusted: by_year(years, &views.risk_adjusted),
        }
    }
}

#[derive(Serialize)]
struct TrackedLineJson<'a> {
    service: &'a str,
    option: &'a str,
    status: &'static str,
    rag: Option<&'static str>,
    delivered: Vec<YearValue>,
    forecast: Vec<YearValue>,
    /// `D - LP` per year, central case, for an approved or withdrawn line; `null` otherwise.
    variance: Option<Vec<YearValue>>,
}

fn tracking<'a>(scenario: &'a Scenario, projection: &Projection) -> Option<TrackingJson<'a>> {
    let figures = projection.tracking.as_ref()?;
    let years = &projection.years;
    let listed =
        |t: &crate::model::YearSeries| t.iter().map(|(y, m)| YearValue::new(y, m)).collect();
    let lines = projection
        .services
        .iter()
        .filter_map(|p| {
            let s = scenario.services.get(p.service)?;
            let o = s.options.get(p.option)?;
            o.tracking.is_given().then(|| TrackedLineJson {
                service: &s.id,
                option: &o.id,
                status: o.status.name(),
                rag: o.tracking.rag.map(|r| r.name()),
                delivered: listed(&o.tracking.delivered),
                forecast: listed(&o.tracking.forecast),
                variance: p.variance(scenario).map(|v| by_year(years, v)),
            })
        })
        .collect();
    let confidence = &scenario.tracking.confidence;
    Some(TrackingJson {
        as_at: scenario.tracking.as_at.map(|m| m.to_string()),
        current_year: scenario.current_year().map(|y| y.to_string()),
        delivery: projection.delivery.name(),
        confidence: ConfidenceJson {
            green: confidence.green.to_string(),
            amber: confidence.amber.to_string(),
            red: confidence.red.to_string(),
        },
        lines,
        remaining_gap: ViewsJson::new(years, &figures.remaining_gap),
        in_year_saving: ViewsJson::new(years, &figures.in_year),
        savings_at_risk: by_year(years, &figures.at_risk),
    })
}

#[derive(Serialize)]
struct GapBuildJson<'a> {
    /// `budget.net`, where the requirement is built from it.
    net_budget: Option<String>,
    requirement: Option<Vec<YearValue>>,
    funding: Option<Vec<YearValue>>,
    reserves: Option<Vec<YearValue>>,
    /// The pressures' levels, where there is no `[budget]`.
    pressures: Option<Vec<YearValue>>,
    /// The unidentified gap to date, where there is no `[budget]`.
    unidentified_to_date: Option<Vec<YearValue>>,
    gap_to_date: Vec<YearValue>,
    /// Each pressure, then each funding line, with its levels.
    lines: Vec<GapLineJson<'a>>,
}

#[derive(Serialize)]
struct GapLineJson<'a> {
    kind: &'static str,
    id: &'a str,
    name: &'a str,
    area: Option<&'a str>,
    levels: Vec<YearValue>,
}

#[derive(Serialize)]
struct SubtotalsJson<'a> {
    by_status: Vec<SubtotalJson<&'static str>>,
    by_area: Vec<SubtotalJson<Option<&'a str>>>,
}

#[derive(Serialize)]
struct SubtotalJson<K> {
    key: K,
    lines: usize,
    in_year_saving: CasesOf<Vec<YearValue>>,
    planned_to_date: Vec<YearValue>,
    contribution: CasesOf<Vec<YearValue>>,
}

/// The increments a gap table states (docs/model.md section 9.1), as a plain table names them.
fn written(table: &crate::model::YearSeries, years: &[FinancialYear]) -> Vec<YearValue> {
    table
        .written_increments(years)
        .unwrap_or_default()
        .into_iter()
        .map(|(y, m)| YearValue::new(y, m))
        .collect()
}

/// A series by projected year.
fn by_year(years: &[FinancialYear], series: &Series) -> Vec<YearValue> {
    years
        .iter()
        .zip(series)
        .map(|(y, m)| YearValue::new(*y, *m))
        .collect()
}

impl<K> SubtotalJson<K> {
    fn new(key: K, years: &[FinancialYear], s: &Subtotal) -> Self {
        Self {
            key,
            lines: s.lines,
            in_year_saving: CasesOf::from(&s.in_year, |_, v| by_year(years, v)),
            planned_to_date: by_year(years, &s.planned_to_date),
            contribution: CasesOf::from(&s.contribution, |_, v| by_year(years, v)),
        }
    }
}

fn gap_build<'a>(scenario: &'a Scenario, projection: &Projection) -> Option<GapBuildJson<'a>> {
    let build = projection.total.gap_build.as_ref()?;
    let years = &projection.years;
    let series = |s: &Option<Series>| s.as_ref().map(|s| by_year(years, s));
    let inputs = &scenario.gap_build;
    let lines = inputs
        .pressures
        .iter()
        .zip(&build.pressure_lines)
        .map(|(line, levels)| ("pressure", line, levels))
        .chain(
            inputs
                .funding
                .iter()
                .zip(&build.funding_lines)
                .map(|(line, levels)| ("funding", line, levels)),
        )
        .map(|(kind, line, levels)| GapLineJson {
            kind,
            id: &line.id,
            name: &line.name,
            area: line.area.as_deref(),
            levels: by_year(years, levels),
        })
        .collect();
    Some(GapBuildJson {
        net_budget: inputs.budget.as_ref().and_then(|b| match &b.base {
            Requirement::Net(net) => Some(net.to_string()),
            Requirement::Levels(_) => None,
        }),
        requirement: series(&build.requirement),
        funding: series(&build.funding),
        reserves: series(&build.reserves),
        pressures: series(&build.pressures),
        unidentified_to_date: series(&build.unidentified),
        gap_to_date: by_year(years, &projection.total.gap_to_date),
        lines,
    })
}

/// The `run` document's `rows`: `[{ "service", "option", "year", "measure", "case", "value" }]`,
/// byte for byte as serde_json's pretty printer lays the array out one level in (the tests
/// hold it to that), but written directly, each row mostly copied bytes
/// ([`super::longform`]).
fn write_rows(
    out: &mut impl Write,
    scenario: &Scenario,
    projection: &Projection,
) -> std::io::Result<()> {
    let (mut service, mut option) = (Repeated::default(), Repeated::default());
    let mut years = YearTexts::default();
    let mut first = true;
    visit_rows(scenario, projection, |row| {
        out.write_all(if first {
            b"[\n    {\n      \"service\": "
        } else {
            b",\n    {\n      \"service\": "
        })?;
        first = false;
        out.write_all(service.encode(row.service, push_string))?;
        out.write_all(b",\n      \"option\": ")?;
        out.write_all(option.encode(row.option, push_string))?;
        // The year, measure, case and value are the tool's own words and numbers, which
        // never need escaping.
        out.write_all(b",\n      \"year\": \"")?;
        out.write_all(years.get(row.year).as_bytes())?;
        out.write_all(b"\",\n      \"measure\": \"")?;
        out.write_all(row.measure.name().as_bytes())?;
        out.write_all(b"\",\n      \"case\": \"")?;
        out.write_all(row.case.as_bytes())?;
        out.write_all(b"\",\n      \"value\": \"")?;
        out.write_all(row.value.plain_text().as_bytes())?;
        out.write_all(b"\"\n    }")
    })?;
    out.write_all(if first { b"[]" } else { b"\n  ]" })
}

/// Where the rows go in the document that serde_json writes: `[]`, which [`write_run`]
/// replaces with `write_rows`'s.
struct RowsWrittenApart;

impl Serialize for RowsWrittenApart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(std::iter::empty::<()>())
    }
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: `"` and `\\`, the
/// control characters (`\n`, `\t` and the like by name, the rest as `\u00XX`); anything
/// else as it is.
fn push_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for &b in text.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// A figure as a JSON string, exact as [`Money`]'s `Display` prints it, without a `String`
/// of its own.
struct Plain(Money);

impl Serialize for Plain {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.plain_text().as_str())
    }
}

#[derive(Serialize)]
struct CasesOf<T> {
    low: T,
    central: T,
    high: T,
}

impl<T> CasesOf<T> {
    fn from<U>(cases: &Cases<U>, f: impl Fn(Case, &U) -> T) -> Self {
        Self {
            low: f(Case::Low, &cases.low),
            central: f(Case::Central, &cases.central),
            high: f(Case::High, &cases.high),
        }
    }
}

#[derive(Serialize)]
struct SummaryJson {
    total_saving: String,
    average_per_year: String,
    steady_state_saving: String,
    npv: String,
    payback_year: Option<String>,
    /// False when there is nothing to pay back (no saving and no one-off cost).
    payback_needed: bool,
    closed_years: Vec<String>,
    base_year_one_off_cost: String,
}

impl SummaryJson {
    fn new(summary: &Summary, base_year_cost: Money) -> Self {
        Self {
            total_saving: summary.total_saving.to_string(),
            average_per_year: summary.average_per_year.to_string(),
            steady_state_saving: summary.steady_state.to_string(),
            npv: summary.npv.to_string(),
            payback_year: summary.payback.year().map(|y| y.to_string()),
            payback_needed: summary.payback.needed(),
            closed_years: summary
                .closed_years
                .iter()
                .map(ToString::to_string)
                .collect(),
            base_year_one_off_cost: base_year_cost.to_string(),
        }
    }
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    id: &'a str,
    name: &'a str,
    option: OptionRef<'a>,
    /// `preferred` or `chosen` (by `choose`).
    taken_forward_as: &'static str,
    /// `proposed`, `approved`, `in-base` or `withdrawn` (docs/model.md section 9.4).
    status: &'static str,
    area: Option<&'a str>,
    /// Whether the service is one line, its saving written on itself (its option id is the
    /// service's).
    one_line: bool,
    planned_base_year: String,
    steady_state_saving: CasesOf<String>,
    total_saving: CasesOf<String>,
    npv: CasesOf<String>,
    payback_year: CasesOf<Option<String>>,
    payback_needed: CasesOf<bool>,
    meets_plan: CasesOf<MeetsPlanJson>,
}

#[derive(Serialize)]
struct OptionRef<'a> {
    id: &'a str,
    name: &'a str,
    /// The go-live and ramp of a saving built up from `S`; absent for yearly amounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ramp: Option<String>,
    /// Present when the saving is a share of the service's net budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    share_of_net: Option<CasesOf<String>>,
    /// The optimism bias applied to the option (`null` if none).
    optimism_bias: serde_json::Value,
    distribution: &'static str,
}

#[derive(Serialize)]
struct MeetsPlanJson {
    holds: bool,
    margins: Vec<YearValue>,
}

impl MeetsPlanJson {
    fn new(test: &MeetsPlan) -> Self {
        Self {
            holds: test.holds,
            margins: test
                .margins
                .iter()
                .map(|(y, m)| YearValue::new(*y, *m))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct YearValue {
    year: String,
    value: Plain,
}

impl YearValue {
    fn new(year: FinancialYear, value: Money) -> Self {
        Self {
            year: year.to_string(),
            value: Plain(value),
        }
    }
}

#[derive(Serialize)]
struct DeferredJson<'a> {
    id: &'a str,
    name: &'a str,
    options: Vec<&'a str>,
    planned_base_year: String,
    planned: Vec<YearValue>,
}

#[derive(Serialize)]
struct Context {
    gap_required: Vec<YearValue>,
    gap_unidentified: Vec<YearValue>,
    /// `N / LG` per year where `LG > 0`, central case.
    gap_coverage_central: Vec<YearValue>,
    planned_base_year_all_services: String,
    planned_mtfp_period_all_services: String,
    budget_gross_all_services: String,
    budget_net_all_services: String,
}

impl<'a> Document<'a> {
    fn new(report: &RunReport<'a>) -> Self {
        let scenario = report.scenario;
        let projection = report.projection;
        let total = &projection.total;
        let services = projection
            .services
            .iter()
            .map(|p| {
                let s = &scenario.services[p.service];
                let o = &s.options[p.option];
                let f = &p.figures;
                ServiceJson {
                    id: &s.id,
                    name: &s.name,
                    option: OptionRef {
                        id: &o.id,
                        name: &o.name,
                        start: o.start().map(|s| s.to_string()),
                        ramp: o.ramp().map(ToString::to_string),
                        share_of_net: match &o.saving_basis {
                            SavingBasis::ShareOfNet(shares) => {
                                Some(CasesOf::from(shares, |_, s| s.to_string()))
                            }
                            SavingBasis::Amount => None,
                        },
                        optimism_bias: bias(&o.optimism_bias),
                        distribution: o.distribution.name(),
                    },
                    taken_forward_as: if s.chosen_explicitly {
                        "chosen"
                    } else {
                        "preferred"
                    },
                    status: o.status.name(),
                    area: s.area.as_deref(),
                    one_line: s.one_line,
                    planned_base_year: s.planned.get(scenario.base_year).to_string(),
                    steady_state_saving: CasesOf::from(&f.summary, |_, s| {
                        s.steady_state.to_string()
                    }),
                    total_saving: CasesOf::from(&f.summary, |_, s| s.total_saving.to_string()),
                    npv: CasesOf::from(&f.summary, |_, s| s.npv.to_string()),
                    payback_year: CasesOf::from(&f.summary, |_, s| {
                        s.payback.year().map(|y| y.to_string())
                    }),
                    payback_needed: CasesOf::from(&f.summary, |_, s| s.payback.needed()),
                    meets_plan: CasesOf::from(&p.meets_plan, |_, m| MeetsPlanJson::new(m)),
                }
            })
            .collect();
        let deferred = projection
            .deferred
            .iter()
            .map(|&i| {
                let s = &scenario.services[i];
                DeferredJson {
                    id: &s.id,
                    name: &s.name,
                    options: s.options.iter().map(|o| o.id.as_str()).collect(),
                    planned_base_year: s.planned.get(scenario.base_year).to_string(),
                    planned: s
                        .planned
                        .written_increments(&scenario.years().collect::<Vec<_>>())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(y, m)| YearValue::new(y, m))
                        .collect(),
                }
            })
            .collect();
        Document {
            schema: SCHEMA,
            kind: "run",
            program: PROGRAM,
            overrides: report.overrides,
            scenario: scenario_info(scenario, report.source, report.extends),
            years: projection.years.iter().map(ToString::to_string).collect(),
            rows: RowsWrittenApart,
            summary: CasesOf::from(&total.summary, |_, s| {
                SummaryJson::new(s, total.base_year_cost)
            }),
            services,
            deferred,
            context: Context {
                gap_required: written(&scenario.gap.required, &projection.years),
                gap_unidentified: written(&scenario.gap.unidentified, &projection.years),
                gap_coverage_central: projection
                    .years
                    .iter()
                    .enumerate()
                    .filter_map(|(t, y)| {
                        total
                            .gap_coverage(Case::Central, t)
                            .map(|c| YearValue::new(*y, Money::new(c)))
                    })
                    .collect(),
                planned_base_year_all_services: projection.context.planned_base_year.to_string(),
                planned_mtfp_period_all_services: projection
                    .context
                    .planned_mtfp_period
                    .to_string(),
                budget_gross_all_services: projection.context.budget_gross.to_string(),
                budget_net_all_services: projection.context.budget_net.to_string(),
            },
            gap_build: gap_build(scenario, projection),
            subtotals: subtotals(projection),
            tracking: tracking(scenario, projection),
        }
    }
}

fn subtotals(projection: &Projection) -> SubtotalsJson<'_> {
    let total = &projection.total;
    SubtotalsJson {
        by_status: total
            .by_status
            .iter()
            .map(|(status, s)| SubtotalJson::new(status.name(), &projection.years, s))
            .collect(),
        by_area: total
            .by_area
            .iter()
            .map(|(area, s)| SubtotalJson::new(area.as_deref(), &projection.years, s))
            .collect(),
    }
}

/// The `gap_build` and `subtotals` of a `run` document, for documents that show a plan
/// beside another (`compare`).
pub fn plan_views(scenario: &Scenario, projection: &Projection) -> serde_json::Value {
    serde_json::json!({
        "gap_build": gap_build(scenario, projection),
        "subtotals": subtotals(projection),
    })
}

/// A series by year, `[{ "year", "value" }]`, as every document writes one.
pub fn series(years: &[FinancialYear], values: &[Money]) -> serde_json::Value {
    serde_json::to_value(by_year(years, &values.to_vec())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn a_string_is_escaped_as_serde_json_escapes_it() -> TestResult {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "",
            "plain-id_1.2",
            "say \"hi\"",
            "back\\slash",
            "£m – en dash, \u{2028} é 😀",
        ] {
            let mut ours = Vec::new();
            push_string(&mut ours, text);
            assert_eq!(String::from_utf8(ours)?, serde_json::to_string(text)?);
        }
        Ok(())
    }

    /// The rows as serde_json wrote them before `write_rows`: from the rows iterator,
    /// every figure through `Display`.
    #[derive(Serialize)]
    struct RowBySerde<'a> {
        service: &'a str,
        option: &'a str,
        year: String,
        measure: &'static str,
        case: &'static str,
        value: String,
    }

    #[test]
    fn the_rows_are_written_as_serde_json_would_write_them() -> TestResult {
        for (name, text) in [
            (
                "kcc.toml",
                include_str!("../../scenarios/kcc-2014-phase1.toml"),
            ),
            (
                "gateshead.toml",
                include_str!("../../scenarios/gateshead-mtfs-2020.toml"),
            ),
            (
                "monitoring.toml",
                include_str!("../../scenarios/monitoring-example.toml"),
            ),
        ] {
            let scenario = crate::scenario::from_text(name, text)?;
            let projection = crate::projection::project(&scenario)?;
            let mut ours = b"{\n  \"rows\": ".to_vec();
            write_rows(&mut ours, &scenario, &projection)?;
            ours.extend_from_slice(b"\n}");
            let rows: Vec<RowBySerde> = crate::projection::rows::rows(&scenario, &projection)
                .map(|r| RowBySerde {
                    service: r.service,
                    option: r.option,
                    year: r.year.map(|y| y.to_string()).unwrap_or_default(),
                    measure: r.measure.name(),
                    case: r.case,
                    value: r.value.to_string(),
                })
                .collect();
            assert!(rows.len() > 100, "{name}");
            let theirs = serde_json::to_string_pretty(&serde_json::json!({ "rows": rows }))?;
            let ours = String::from_utf8(ours)?;
            let first_difference = ours
                .lines()
                .zip(theirs.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b);
            assert_eq!(first_difference, None, "{name}");
            assert_eq!(ours, theirs, "{name}");
        }
        Ok(())
    }

    #[test]
    fn no_rows_are_an_empty_array() -> TestResult {
        let empty: [u8; 0] = [];
        assert_eq!(
            serde_json::to_string_pretty(&RowsWrittenApart)?,
            serde_json::to_string_pretty(&empty)?
        );
        Ok(())
    }
}
