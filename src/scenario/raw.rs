//! The raw layer: serde structs that mirror the TOML file, every value with its place in the
//! source. Serde checks the structure (which tables and fields exist); values stay raw
//! ([`RawValue`]) so that validation can check each one and say exactly what is wrong with it,
//! and so that numbers keep their literal text (docs/model.md section 7: `2.4` means exactly 2.4).

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::diagnostic::shown;
use super::number::{NumberError, parse_literal};

/// Which loaded text a value came from (a scenario, a parent it extends, an override).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SourceId(pub usize);

/// Where a value was written: its source and byte span.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub source: SourceId,
    pub span: Range<usize>,
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub at: Loc,
}

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub scenario: Option<Located<RawScenario>>,
    pub gap: Option<Located<RawGap>>,
    /// `[budget]`: the gap built from the budget (docs/model.md section 9.5).
    pub budget: Option<Located<RawPlanBudget>>,
    /// `[[pressure]]`: growth in spending, added to the requirement (or to the gap).
    #[serde(default)]
    pub pressure: Vec<Located<RawGapLine>>,
    /// `[[funding]]`: resources that meet the requirement.
    #[serde(default)]
    pub funding: Vec<Located<RawGapLine>>,
    #[serde(default)]
    pub service: Vec<Located<RawService>>,
    /// `[tracking]`: how delivery is monitored (docs/model.md section 10).
    pub tracking: Option<Located<RawTracking>>,
}

/// `[tracking] = { confidence }`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTracking {
    /// The share of a rated line's delivery counted risk-adjusted, by RAG rating.
    pub confidence: Option<RawValue>,
}

/// `[budget] = { net, requirement, reserves, source }`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlanBudget {
    pub net: Option<RawValue>,
    pub requirement: Option<RawValue>,
    pub reserves: Option<RawValue>,
    pub source: Option<RawValue>,
}

/// A `[[pressure]]` or `[[funding]]` line.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGapLine {
    pub id: Option<RawValue>,
    pub name: Option<RawValue>,
    pub amount: Option<RawValue>,
    /// The low end of the amounts, for sensitivity only (the amount where absent).
    pub low: Option<RawValue>,
    /// The high end of the amounts, for sensitivity only (the amount where absent).
    pub high: Option<RawValue>,
    pub area: Option<RawValue>,
    pub source: Option<RawValue>,
    /// In a scenario that extends another: drop this line from the parent.
    pub remove: Option<RawValue>,
}

/// `[scenario]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<RawValue>,
    pub base_year: Option<RawValue>,
    pub horizon: Option<RawValue>,
    pub unit: Option<RawValue>,
    pub overlap: Option<RawValue>,
    pub discount_rate: Option<RawValue>,
    pub mtfp_period: Option<RawValue>,
    /// The scenario this one builds on (resolved before validation).
    pub extends: Option<RawValue>,
    /// The default distribution of savings in simulation.
    pub distribution: Option<RawValue>,
    /// Optimism bias for every option (an option's own fields replace these).
    pub optimism_bias: Option<Located<RawBias>>,
    /// Where the scenario-wide figures come from (a paragraph, a document, "assumption").
    pub source: Option<RawValue>,
    /// The month delivery figures describe (docs/model.md section 10).
    pub as_at: Option<RawValue>,
}

/// `optimism_bias = { saving, cost, delay_months }`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBias {
    pub saving: Option<RawValue>,
    pub cost: Option<RawValue>,
    pub delay_months: Option<RawValue>,
}

/// `[gap]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGap {
    pub required: Option<RawValue>,
    pub unidentified: Option<RawValue>,
    pub source: Option<RawValue>,
}

/// `[[service]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub id: Option<RawValue>,
    pub name: Option<RawValue>,
    /// The directorate or portfolio the line is subtotalled under.
    pub area: Option<RawValue>,
    pub budget: Option<Located<RawBudget>>,
    pub planned: Option<RawValue>,
    pub choose: Option<RawValue>,
    /// `deferred = true`: no option is taken forward, and that is meant.
    pub deferred: Option<RawValue>,
    pub source: Option<RawValue>,
    /// In a scenario that extends another: drop this service from the parent.
    pub remove: Option<RawValue>,
    /// A one-line service (docs/model.md section 9.3): the fields of its one option, written
    /// on the service.
    pub saving: Option<RawValue>,
    pub start: Option<RawValue>,
    pub ramp: Option<RawValue>,
    pub one_off_cost: Option<RawValue>,
    pub risk: Option<Located<RawRisk>>,
    pub group: Option<RawValue>,
    pub distribution: Option<RawValue>,
    pub optimism_bias: Option<Located<RawBias>>,
    pub status: Option<RawValue>,
    /// Delivery tracking (docs/model.md section 10): the in-year saving achieved, by year.
    pub delivered: Option<RawValue>,
    /// The in-year saving now expected, by year.
    pub forecast: Option<RawValue>,
    /// The RAG rating: blue, green, amber or red.
    pub rag: Option<RawValue>,
    #[serde(default)]
    pub option: Vec<Located<RawOption>>,
}

/// `budget = { gross, net }`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    pub gross: Option<RawValue>,
    pub net: Option<RawValue>,
}

/// `[[service.option]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: Option<RawValue>,
    pub name: Option<RawValue>,
    pub preferred: Option<RawValue>,
    pub saving: Option<RawValue>,
    pub start: Option<RawValue>,
    pub ramp: Option<RawValue>,
    pub one_off_cost: Option<RawValue>,
    pub risk: Option<Located<RawRisk>>,
    pub group: Option<RawValue>,
    pub distribution: Option<RawValue>,
    pub optimism_bias: Option<Located<RawBias>>,
    /// Where the saving stands: proposed, approved, in-base or withdrawn.
    pub status: Option<RawValue>,
    /// Delivery tracking (docs/model.md section 10): the in-year saving achieved, by year.
    pub delivered: Option<RawValue>,
    /// The in-year saving now expected, by year.
    pub forecast: Option<RawValue>,
    /// The RAG rating: blue, green, amber or red.
    pub rag: Option<RawValue>,
    pub source: Option<RawValue>,
    /// In a scenario that extends another: drop this option from the parent.
    pub remove: Option<RawValue>,
}

/// `risk = { fail, slip_months }`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRisk {
    pub fail: Option<RawValue>,
    pub slip_months: Option<RawValue>,
}

/// Any TOML value, with its place.
#[derive(Clone, Debug, PartialEq)]
pub struct RawValue {
    pub kind: RawKind,
    pub at: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RawKind {
    /// A number, read from its literal text.
    Number {
        value: Result<Decimal, NumberError>,
        literal: String,
        /// Written as a TOML integer (no point, no exponent).
        integer: bool,
    },
    String(String),
    Bool(bool),
    Array(Vec<RawValue>),
    /// Entries in file order.
    Table(Vec<(Located<String>, RawValue)>),
}

impl RawKind {
    /// What a user would call this kind of value, for "expected X, found Y".
    pub fn describe(&self) -> String {
        match self {
            RawKind::Number { literal, .. } => format!("the number {}", shown(literal, 40)),
            RawKind::String(s) => format!("the string \"{}\"", shown(s, 60)),
            RawKind::Bool(b) => format!("the boolean {b}"),
            RawKind::Array(_) => "an array".to_string(),
            RawKind::Table(_) => "a table".to_string(),
        }
    }
}

thread_local! {
    /// The source being deserialized: serde's derive cannot pass context down, and a value
    /// needs its source's id and text to record where it was written and its literal.
    static CURRENT: RefCell<Option<(SourceId, Arc<str>)>> = const { RefCell::new(None) };
}

/// Clears the current source when deserialization ends, however it ends.
struct CurrentSource;

impl CurrentSource {
    fn enter(id: SourceId, text: Arc<str>) -> Self {
        CURRENT.with(|c| *c.borrow_mut() = Some((id, text)));
        CurrentSource
    }
}

impl Drop for CurrentSource {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

fn current_id() -> SourceId {
    CURRENT.with(|c| c.borrow().as_ref().map(|(id, _)| *id).unwrap_or_default())
}

fn current_literal(span: &Range<usize>) -> String {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|(_, text)| text.get(span.clone()).map(str::to_string))
            .unwrap_or_default()
    })
}

/// Deserializes `text` (source `id`) into the raw layer.
pub fn parse(id: SourceId, text: &Arc<str>) -> Result<RawFile, toml::de::Error> {
    let _current = CurrentSource::enter(id, Arc::clone(text));
    let deserializer = toml::de::Deserializer::parse(text)?;
    RawFile::deserialize(deserializer)
}

/// Deserializes one TOML value (the VALUE of a command-line override) from `text`.
pub fn parse_value(id: SourceId, text: &Arc<str>) -> Result<RawValue, toml::de::Error> {
    let _current = CurrentSource::enter(id, Arc::clone(text));
    RawValue::deserialize(toml::de::ValueDeserializer::parse(text)?)
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<TablesOnly<T>>::deserialize(deserializer)?;
        let span = spanned.span();
        Ok(Located {
            value: spanned.into_inner().0,
            at: Loc {
                source: current_id(),
                span,
            },
        })
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<KindOnly>::deserialize(deserializer)?;
        let span = spanned.span();
        let mut kind = spanned.into_inner().0;
        if let RawKind::Number { value, literal, .. } = &mut kind {
            *literal = current_literal(&span);
            *value = parse_literal(literal);
        }
        Ok(RawValue {
            kind,
            at: Loc {
                source: current_id(),
                span,
            },
        })
    }
}

/// The field names of a raw struct, as serde's derive knows them: the registry of fields
/// (fields.rs) is held to them by a test, so that the two cannot drift.
pub fn fields_of<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    /// A deserializer that only records the fields a struct asks for.
    struct Fields(std::cell::Cell<&'static [&'static str]>);

    #[derive(Debug)]
    struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("fields recorded")
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }

    impl<'de> Deserializer<'de> for &Fields {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.set(fields);
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    let fields = Fields(std::cell::Cell::new(&[]));
    let _ = T::deserialize(&fields);
    fields.0.get()
}

/// `T`, read so that a struct must be written as a table: serde's derive would otherwise
/// also take an array, reading `budget = [10, 1]` as `{ gross = 10, net = 1 }`, and the
/// format's field names are fixed (docs/model.md section 7).
struct TablesOnly<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TablesOnly<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(NoArrays(deserializer)).map(TablesOnly)
    }
}

/// A deserializer that hands structs only tables.
struct NoArrays<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for NoArrays<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_struct(name, fields, TableVisitor(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Passes tables to the struct's own visitor and refuses arrays.
struct TableVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for TableVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }
}

/// A value's kind before its span (and so its literal text) is known.
struct KindOnly(RawKind);

impl<'de> Deserialize<'de> for KindOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor).map(KindOnly)
    }
}

struct KindVisitor;

impl KindVisitor {
    fn number(integer: bool) -> RawKind {
        RawKind::Number {
            value: Err(NumberError::NotFinite),
            literal: String::new(),
            integer,
        }
    }
}

impl<'de> Visitor<'de> for KindVisitor {
    type Value = RawKind;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawKind, E> {
        Ok(RawKind::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawKind, E> {
        Ok(Self::number(true))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawKind, E> {
        Ok(Self::number(true))
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<RawKind, E> {
        Ok(Self::number(true))
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<RawKind, E> {
        Ok(Self::number(true))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawKind, E> {
        Ok(Self::number(false))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawKind, E> {
        Ok(RawKind::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RawKind, E> {
        Ok(RawKind::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawKind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawValue>()? {
            items.push(item);
        }
        Ok(RawKind::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawKind, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<Located<String>, RawValue>()? {
            entries.push((key, value));
        }
        Ok(RawKind::Table(entries))
    }
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    fn parse_text(text: &str) -> Result<RawFile, toml::de::Error> {
        parse(SourceId(3), &Arc::from(text))
    }

    #[test]
    fn numbers_keep_their_literal_and_place() -> TestResult {
        let text = "[scenario]\noverlap = 0.50\nhorizon = 1_0\n";
        let raw = parse_text(text)?;
        let scenario = raw.scenario.ok_or("no scenario")?.value;
        let overlap = scenario.overlap.ok_or("no overlap")?;
        let RawKind::Number {
            value,
            literal,
            integer,
        } = &overlap.kind
        else {
            panic!("{overlap:?}")
        };
        assert_eq!(literal, "0.50");
        assert_eq!(value.clone()?.to_string(), "0.5");
        assert!(!integer);
        assert_eq!(&text[overlap.at.span.clone()], "0.50");
        assert_eq!(overlap.at.source, SourceId(3));
        let horizon = scenario.horizon.ok_or("no horizon")?;
        assert!(matches!(
            horizon.kind,
            RawKind::Number { integer: true, .. }
        ));
        Ok(())
    }

    #[test]
    fn tables_keep_keys_in_file_order_with_places() -> TestResult {
        let text = "[[service]]\nid = 'a'\nplanned = { \"2016/17\" = 1, \"2015/16\" = 2.5 }\n";
        let raw = parse_text(text)?;
        let planned = raw.service[0].value.planned.clone().ok_or("no planned")?;
        let RawKind::Table(entries) = planned.kind else {
            panic!()
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(keys, ["2016/17", "2015/16"]);
        assert_eq!(&text[entries[1].0.at.span.clone()], "\"2015/16\"");
        Ok(())
    }

    #[test]
    fn field_names_come_from_the_structs() {
        assert_eq!(fields_of::<RawBudget>(), ["gross", "net"]);
        assert!(fields_of::<RawOption>().contains(&"saving"));
        assert_eq!(
            fields_of::<RawFile>(),
            [
                "scenario", "gap", "budget", "pressure", "funding", "service", "tracking"
            ]
        );
    }

    #[test]
    fn unknown_fields_are_refused_with_a_span() -> TestResult {
        let text = "[scenario]\nbase_yaer = '2014/15'\n";
        let err = parse_text(text).unwrap_err();
        assert!(
            err.message().contains("unknown field `base_yaer`"),
            "{}",
            err.message()
        );
        assert_eq!(&text[err.span().ok_or("no span")?], "base_yaer");
        Ok(())
    }
}
