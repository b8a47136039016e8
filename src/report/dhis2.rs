//! Aggregate data for DHIS2, which many health departments run: a
//! `dataValueSets` import (JSON, or DHIS2's CSV form) built from a mapping
//! file that names, for each metric, the data element it is reported as,
//! and for the centre its organisation unit. Only whole periods of the
//! mapping's kind go out (a month's unique visitors are counted over the
//! month, never summed from days), and never a suppressed value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{By, Table, iso};
use crate::domain::InvalidInput;

/// The mapping file (JSON).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Mapping {
    /// The data set's period type: `day`, `week` (ISO), `month` or `year`.
    pub period: String,
    /// Centre name (as in the settings) -> organisation unit id.
    pub org_units: BTreeMap<String, String>,
    /// Metric (an export column, `item_naloxone`) -> data element id.
    pub data_elements: BTreeMap<String, String>,
    /// The category option combination, if the data elements need one.
    #[serde(default)]
    pub category_option_combo: Option<String>,
}

impl Mapping {
    pub fn from_json(text: &str) -> Result<Mapping, InvalidInput> {
        serde_json::from_str(text)
            .map_err(|e| InvalidInput::new("mapping", "not_valid").arg("detail", e))
    }

    /// The period kind the data set uses.
    pub fn by(&self) -> Result<By, InvalidInput> {
        match By::parse(&self.period) {
            Some(b) if b != By::Range => Ok(b),
            _ => Err(InvalidInput::new("mapping", "dhis2_period")),
        }
    }
}

/// One value for DHIS2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    pub data_element: String,
    pub period: String,
    pub org_unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_option_combo: Option<String>,
    pub value: String,
}

/// DHIS2's name of a period: `20261126`, `2026W48` (ISO week), `202611`,
/// `2026`.
pub fn period_id(by: By, start: Date) -> String {
    match by {
        By::Day => format!(
            "{:04}{:02}{:02}",
            start.year(),
            u8::from(start.month()),
            start.day()
        ),
        By::Week => {
            let (y, w, _) = start.to_iso_week_date();
            format!("{y:04}W{w}")
        }
        By::Month => format!("{:04}{:02}", start.year(), u8::from(start.month())),
        By::Year | By::Range => format!("{:04}", start.year()),
    }
}

/// The values of `table` (made with the mapping's period kind) for the
/// centre: refused where a period is cut by the range, a metric is not in
/// the export, the centre has no organisation unit, or a value is
/// suppressed.
pub fn values(
    table: &Table,
    mapping: &Mapping,
    centre: &str,
) -> Result<Vec<DataValue>, InvalidInput> {
    let by = mapping.by()?;
    if table.by != by {
        return Err(InvalidInput::new("by", "dhis2_by").arg("period", &mapping.period));
    }
    let org_unit = mapping
        .org_units
        .get(centre)
        .ok_or_else(|| InvalidInput::new("mapping", "dhis2_no_org_unit").arg("centre", centre))?;
    // Whole periods only: a month cut at the range's end is no month.
    if let (Some(first), Some(last)) = (table.rows.first(), table.rows.last())
        && !(starts_whole(first.0, by) && ends_whole(last.1, by))
    {
        return Err(InvalidInput::new("from", "dhis2_whole_periods")
            .arg("period", &mapping.period)
            .arg("from", iso(first.0))
            .arg("to", iso(last.1)));
    }
    // One data element, one metric: two would send it two values.
    let mut taken = std::collections::HashSet::new();
    for (metric, element) in &mapping.data_elements {
        if !taken.insert(element) {
            return Err(InvalidInput::new("mapping", "dhis2_element_twice")
                .arg("element", element)
                .arg("metric", metric));
        }
    }
    let mut out = Vec::new();
    for (metric, element) in &mapping.data_elements {
        let Some(c) = table.columns.iter().position(|m| m == metric) else {
            return Err(InvalidInput::new("mapping", "dhis2_unknown_metric").arg("metric", metric));
        };
        for (r, (start, _, _)) in table.rows.iter().enumerate() {
            // A ratio where nothing went out has no value to send.
            if table.undefined(r, c) && !table.hidden[r][c] {
                continue;
            }
            let Some(n) = table.cell(r, c) else {
                return Err(InvalidInput::new("mapping", "dhis2_suppressed")
                    .arg("metric", metric)
                    .arg("date", iso(*start)));
            };
            out.push(DataValue {
                data_element: element.clone(),
                period: period_id(by, *start),
                org_unit: org_unit.clone(),
                category_option_combo: mapping.category_option_combo.clone(),
                value: n.to_string(),
            });
        }
    }
    Ok(out)
}

/// Is `d` the first day of its period?
fn starts_whole(d: Date, by: By) -> bool {
    match by {
        By::Day | By::Range => true,
        By::Week => d.weekday() == time::Weekday::Monday,
        By::Month => d.day() == 1,
        By::Year => d.ordinal() == 1,
    }
}

/// Is `d` the last day of its period?
fn ends_whole(d: Date, by: By) -> bool {
    match by {
        By::Day | By::Range => true,
        By::Week => d.weekday() == time::Weekday::Sunday,
        By::Month => d.next_day().is_none_or(|n| n.day() == 1),
        By::Year => d.month() == time::Month::December && d.day() == 31,
    }
}

/// `{"dataValues": [...]}`, DHIS2's JSON import.
pub fn json(values: &[DataValue]) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&serde_json::json!({ "dataValues": values }))
        .expect("data values are plain strings");
    out.push(b'\n');
    out
}

/// DHIS2's CSV import: `dataelement,period,orgunit,categoryoptioncombo,
/// attributeoptioncombo,value`.
pub fn csv(values: &[DataValue]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "dataelement",
        "period",
        "orgunit",
        "categoryoptioncombo",
        "attributeoptioncombo",
        "value",
    ]);
    for v in values {
        let _ = w.write_record([
            v.data_element.as_str(),
            &v.period,
            &v.org_unit,
            v.category_option_combo.as_deref().unwrap_or(""),
            "",
            &v.value,
        ]);
    }
    w.into_inner().unwrap_or_default()
}
