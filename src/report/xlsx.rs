//! The export as a spreadsheet a coordinator opens with a double click:
//! one sheet per table (periods, items, topics, the range's totals),
//! numbers as numbers, dates as dates, suppressed counts as empty cells,
//! the column names as the first header row and the names in the chosen
//! language as the second, the headers frozen, columns wide enough.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use time::Date;

use super::Table;
use crate::domain::Catalog;
use crate::domain::catalog::name_in;
use crate::i18n::Texts;

/// Which sheet a column goes to.
fn sheet_of(column: &str) -> usize {
    if column.starts_with("item_")
        || column.starts_with("returned_")
        || column.starts_with("doses_")
    {
        1
    } else if column.starts_with("topic_") {
        2
    } else {
        0
    }
}

/// A column's name in the screen's language: the catalog's names for
/// items and topics (the id is the column name with `_` back as `-`).
fn label(column: &str, catalog: &Catalog, tx: &Texts) -> String {
    let lang = tx.lang.code();
    let id = |prefix: &str| column[prefix.len()..].replace('_', "-");
    let item = |id: &str| {
        catalog.item(id).map_or(id.to_string(), |i| {
            name_in(&i.names, lang, &i.id).to_string()
        })
    };
    if column.starts_with("item_") {
        item(&id("item_"))
    } else if column.starts_with("returned_pct_") {
        tx.f(
            "export.col.returned_pct",
            &[("name", &item(&id("returned_pct_")))],
        )
    } else if column.starts_with("referred_") {
        let id = id("referred_");
        let name = catalog
            .referral(&id)
            .map_or(id.clone(), |r| name_in(&r.names, lang, &r.id).to_string());
        tx.f("export.col.referral", &[("name", &name)])
    } else if column.starts_with("returned_") {
        tx.f("export.col.returned", &[("name", &item(&id("returned_")))])
    } else if column.starts_with("doses_") {
        tx.f("export.col.doses", &[("name", &item(&id("doses_")))])
    } else if column.starts_with("topic_") {
        let id = id("topic_");
        catalog
            .topic(&id)
            .map_or(id.clone(), |t| name_in(&t.names, lang, &t.id).to_string())
    } else {
        tx.t(&format!("export.col.{column}")).to_string()
    }
}

/// A day as an Excel date; one Excel cannot hold (before 1900) as its
/// ISO text.
fn write_day(ws: &mut Worksheet, row: u32, col: u16, d: Date, f: &Format) -> Result<(), XlsxError> {
    let year = u16::try_from(d.year()).unwrap_or(0);
    match ExcelDateTime::from_ymd(year, u8::from(d.month()), d.day()) {
        Ok(x) if year >= 1900 => ws.write_datetime_with_format(row, col, &x, f).map(|_| ()),
        _ => ws.write_string(row, col, super::iso(d)).map(|_| ()),
    }
}

/// The workbook: `periods` as exported, `total` the range's one row
/// (suppressed the same way).
pub fn workbook(
    periods: &Table,
    total: &Table,
    catalog: &Catalog,
    tx: &Texts,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    // Dates as the language writes them (the cell holds the date
    // itself: sorting and filtering work in any).
    let date = Format::new().set_num_format(tx.t("export.date_format"));
    let names = [
        "export.sheet.periods",
        "export.sheet.items",
        "export.sheet.topics",
    ];
    let period_cols = periods.period_columns();
    for (sheet, name) in names.iter().enumerate() {
        let cols: Vec<usize> = (0..periods.columns.len())
            .filter(|&c| sheet_of(&periods.columns[c]) == sheet)
            .collect();
        let ws: &mut Worksheet = book.add_worksheet();
        ws.set_name(tx.t(name))?;
        let mut widths = Vec::new();
        for (i, p) in period_cols.iter().enumerate() {
            let i = i as u16;
            ws.write_string_with_format(0, i, *p, &bold)?;
            let l = label(p, catalog, tx);
            ws.write_string_with_format(1, i, &l, &bold)?;
            ws.set_column_width(i, 12)?;
        }
        let first = period_cols.len() as u16;
        for (k, &c) in cols.iter().enumerate() {
            let col = first + k as u16;
            let l = label(&periods.columns[c], catalog, tx);
            ws.write_string_with_format(0, col, &periods.columns[c], &bold)?;
            ws.write_string_with_format(1, col, &l, &bold)?;
            widths.push((col, periods.columns[c].len().max(l.chars().count()).max(6)));
        }
        for (r, (a, b, _)) in periods.rows.iter().enumerate() {
            let row = 2 + r as u32;
            write_day(ws, row, 0, *a, &date)?;
            if period_cols.len() == 2 {
                write_day(ws, row, 1, *b, &date)?;
            }
            for (k, &c) in cols.iter().enumerate() {
                if let Some(n) = periods.cell(r, c) {
                    ws.write_number(row, first + k as u16, n as f64)?;
                }
            }
        }
        for (col, w) in widths {
            ws.set_column_width(col, (w + 2).min(40) as f64)?;
        }
        ws.set_freeze_panes(2, first)?;
    }
    // The range's totals, one metric a row.
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(tx.t("export.sheet.totals"))?;
    for (i, h) in ["metric", "name", "value"].iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold)?;
        let l = tx.t(&format!("export.col.{h}")).to_string();
        ws.write_string_with_format(1, i as u16, &l, &bold)?;
    }
    if let Some((a, b, _)) = total.rows.first() {
        ws.write_string(0, 4, "period_start")?;
        write_day(ws, 1, 4, *a, &date)?;
        ws.write_string(0, 5, "period_end")?;
        write_day(ws, 1, 5, *b, &date)?;
    }
    let mut width = 10;
    for (c, name) in total.columns.iter().enumerate() {
        let row = 2 + c as u32;
        let l = label(name, catalog, tx);
        width = width.max(l.chars().count()).max(name.len());
        ws.write_string(row, 0, name)?;
        ws.write_string(row, 1, &l)?;
        if let Some(n) = total.cell(0, c) {
            ws.write_number(row, 2, n as f64)?;
        }
    }
    ws.set_column_width(0, (width + 2).min(40) as f64)?;
    ws.set_column_width(1, (width + 2).min(40) as f64)?;
    ws.set_column_width(4, 12)?;
    ws.set_column_width(5, 12)?;
    ws.set_freeze_panes(2, 0)?;
    book.save_to_buffer()
}
