//! The reports screen: the numbers of a day, week, month or typed range,
//! the last 30 days and the busiest hours; coordinators export what is
//! shown.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use time::{Date, Duration};

use super::View;
use crate::domain::DayCounts;
use crate::domain::catalog::name_in;
use crate::report::period::{self, Period};
use crate::report::{Format, iso, range_total};
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::ops;
use crate::ui::widgets::form::{Edit, FieldSpec, Form};
use crate::ui::widgets::{charts, fit, truncate};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Period,
    Custom,
    Step,
    Now,
    Export,
    Indicators,
    Back,
    Help,
    // Typing a range
    Edit(Edit),
    Apply,
    Cancel,
}

use Action as A;
use KeyCode as K;

const SHOWN: &[Binding<Action>] = &[
    Binding::new(&[Key::OneOf("dwm")], A::Period, "help.period").footer("foot.period"),
    Binding::new(&[Key::Char('c')], A::Custom, "help.custom_range").footer("foot.range"),
    Binding::new(
        &[Key::Code(K::Left), Key::Code(K::Right)],
        A::Step,
        "help.step_period",
    )
    .footer("foot.step"),
    Binding::new(&[Key::Char('t')], A::Now, "help.this_period"),
    Binding::new(&[Key::OneOf("ejx")], A::Export, "help.export_period")
        .footer("foot.export")
        .coordinator(),
    Binding::new(&[Key::Char('i')], A::Indicators, "help.indicators").footer("foot.indicators"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
    Binding::new(&[Key::Char('?')], A::Help, "help.help"),
];

const RANGE: &[Binding<Action>] = crate::form_keys![
    A::Edit;
    Binding::new(&[Key::Code(K::Enter)], A::Apply, "help.apply_range").footer("foot.show"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.cancel_range").footer("foot.back"),
];

const RANGE_FIELDS: &[FieldSpec] = &[
    FieldSpec::text("reports.from", 10),
    FieldSpec::text("reports.to", 10),
];

#[derive(Debug, Clone)]
pub struct Reports {
    pub period: Period,
    /// A day inside the period shown (day, week, month).
    pub anchor: Date,
    pub custom: (Date, Date),
    /// The range being typed, when it is.
    entry: Option<Form>,
    /// What is on screen.
    pub from: Date,
    pub to: Date,
    pub total: DayCounts,
    /// Contacts per day for the 30 days ending `to`.
    pub last30: Vec<(Date, u32)>,
    /// The period as one row of the export (the funders' indicators,
    /// counted as an export counts them).
    pub period_row: Option<crate::report::Table>,
    /// The indicators are shown in place of the charts (`i`).
    pub show_indicators: bool,
}

impl Reports {
    /// The day `today`, read from the store.
    pub fn new(env: &Env, today: Date) -> crate::store::Result<Reports> {
        let mut r = Reports {
            period: Period::Day,
            anchor: today,
            custom: (today, today),
            entry: None,
            from: today,
            to: today,
            total: DayCounts::default(),
            last30: Vec::new(),
            period_row: None,
            show_indicators: false,
        };
        r.load(env)?;
        Ok(r)
    }

    pub fn open(env: &mut Env) -> Option<Reports> {
        Reports::new(env, env.day)
            .map_err(|e| env.store_failed(&e))
            .ok()
    }

    /// Reads the counts of the period and of the 30 days ending with it.
    pub fn load(&mut self, env: &Env) -> crate::store::Result<()> {
        (self.from, self.to) = period::range(self.period, self.anchor, self.custom);
        // One read covers the period and the 30 days up to its end, or up
        // to today when the period goes on past it.
        let end = self.to.min(env.day).max(self.from);
        let start = end.checked_sub(Duration::days(29)).unwrap_or(Date::MIN);
        let days = env
            .store
            .counts_range(start.min(self.from), self.to.max(end))?;
        self.total = range_total(days.iter().filter(|(d, _)| *d >= self.from));
        let within: Vec<(Date, DayCounts)> = (days.iter())
            .filter(|(d, _)| (self.from..=self.to).contains(d))
            .cloned()
            .collect();
        let profiles = env.store.profiles_of(&within)?;
        let counts = crate::report::Counts {
            days: within,
            profiles,
        };
        self.period_row = Some(crate::report::table(
            &counts,
            &env.cfg.catalog,
            self.from,
            self.to,
            crate::report::By::Range,
        ));
        self.last30 = (0..30)
            .map_while(|i| start.checked_add(Duration::days(i)))
            .map(|d| {
                let n = days
                    .binary_search_by_key(&d, |(day, _)| *day)
                    .map_or(0, |k| days[k].1.contacts);
                (d, n)
            })
            .collect();
        Ok(())
    }

    fn reload(&mut self, env: &mut Env) {
        if let Err(e) = self.load(env) {
            env.store_failed(&e);
        }
    }

    /// Writes the period's daily counts to the export folder and says
    /// where: CSV, JSON, or a spreadsheet with the names in the screen's
    /// language.
    fn export(&mut self, format: Format, env: &mut Env) {
        if let Err(e) = env
            .store
            .require_coordinator(env.staff_id(), "export_counts")
        {
            return env.store_failed(&e);
        }
        let counts = match env.store.report_counts(self.from, self.to) {
            Ok(d) => d,
            Err(e) => return env.store_failed(&e),
        };
        let opts = crate::report::ExportOptions {
            centre: env.cfg.centre_name(),
            lang: env.tx.lang,
            ..Default::default()
        };
        let cat = &env.cfg.catalog;
        let bytes = crate::report::export(&counts, cat, self.from, self.to, format, &opts);
        let centre: String = opts
            .centre
            .chars()
            .map(|c| match c.is_alphanumeric() {
                true => c.to_ascii_lowercase(),
                false => '-',
            })
            .collect();
        let name = format!(
            "{centre}-{}-{}.{}",
            iso(self.from),
            iso(self.to),
            format.extension()
        );
        ops::export_file(env, &name, &bytes, "export");
    }

    fn apply(&mut self, env: &mut Env) {
        let Some(form) = &self.entry else { return };
        match crate::report::parse_range(form.value(0), form.value(1)) {
            Ok(range) => {
                self.custom = range;
                self.period = Period::Custom;
                self.entry = None;
                self.reload(env);
            }
            Err(e) => env.invalid(&e),
        }
    }
}

impl View for Reports {
    type Action = Action;
    const NAME: &'static str = "reports";

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.entry.is_some() { RANGE } else { SHOWN }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("shown", SHOWN), ("range", RANGE)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Period => {
                self.period = [Period::Day, Period::Week, Period::Month][hit.arg.index()];
                self.anchor = self.anchor.clamp(self.from, self.to);
                self.reload(env);
            }
            A::Custom => {
                // Prefilled in the screen's date style; typing replaces.
                let mut form = Form::new(RANGE_FIELDS);
                form.prefill(0, &env.tx.date(self.from));
                form.prefill(1, &env.tx.date(self.to));
                self.entry = Some(form);
            }
            A::Step => {
                let by = if hit.arg.index() == 0 { -1 } else { 1 };
                match self.period {
                    Period::Custom => self.custom = period::step_range(self.custom, by),
                    p => self.anchor = period::step_anchor(p, self.anchor, by),
                }
                self.reload(env);
            }
            A::Now => {
                self.anchor = env.day;
                if self.period == Period::Custom {
                    self.period = Period::Month;
                }
                self.reload(env);
            }
            A::Export => {
                let format = [Format::Csv, Format::Json, Format::Xlsx][hit.arg.index()];
                self.export(format, env);
            }
            A::Indicators => self.show_indicators = !self.show_indicators,
            A::Back => return Nav::Pop,
            A::Help => return Nav::Help,
            A::Edit(e) => {
                if let Some(form) = &mut self.entry {
                    form.edit(e, hit.arg, env);
                }
            }
            A::Apply => self.apply(env),
            A::Cancel => self.entry = None,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match &mut self.entry {
            Some(form) => form.focused().insert_or_say(text, env),
            None => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let [title, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        self.draw_title(f, env, title);
        if self.show_indicators {
            return self.draw_indicators(f, env, rest);
        }
        let [numbers, charts] =
            Layout::vertical([Constraint::Min(6), Constraint::Length(8)]).areas(rest);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)])
                .areas(numbers);
        self.draw_totals(f, env, left);
        self.draw_items(f, env, right);
        let [days, hours] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(charts);
        charts::days(f, env, days, &self.last30);
        charts::hours(f, env, hours, &self.total.hours);
    }
}

/// Lines for a bordered box of `area`: what does not fit is said on the
/// last row (`… 7 more`), never cut silently.
fn more_if_cut(lines: &mut Vec<Line>, area: Rect, tx: &crate::i18n::Texts, env: &Env) {
    let room = area.height.saturating_sub(2) as usize;
    if lines.len() > room && room > 0 {
        let hidden = lines.len() - (room - 1);
        lines.truncate(room - 1);
        lines.push(Line::styled(
            tx.n("reports.more", hidden as u64, &[]),
            env.theme.dim(),
        ));
    }
}

/// `november 2026` -> `November 2026` at the start of a title.
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl Reports {
    fn draw_title(&self, f: &mut Frame, env: &Env, area: Rect) {
        let tx = &env.tx;
        let head = match &self.entry {
            Some(form) => {
                let field = |i: usize| {
                    let cursor = if form.focus == i { "▏" } else { "" };
                    Span::styled(format!("{}{cursor}", form.value(i)), env.theme.input())
                };
                vec![
                    Span::raw(format!(" {} ", tx.t("reports.from"))),
                    field(0),
                    Span::raw(format!("  {} ", tx.t("reports.to"))),
                    field(1),
                    Span::styled(format!("  {}", tx.t("reports.date_hint")), env.theme.dim()),
                ]
            }
            None => {
                let range = format!("{} – {}", tx.date(self.from), tx.date(self.to));
                let text = match self.period {
                    Period::Day => format!("{}: {}", tx.t("reports.day"), tx.date(self.from)),
                    Period::Week => format!("{} ({range})", upper_first(&tx.week(self.from))),
                    Period::Month => upper_first(&tx.month(self.from)),
                    Period::Custom => format!("{}: {range}", tx.t("reports.custom")),
                };
                vec![Span::styled(format!(" {text}"), env.theme.title())]
            }
        };
        f.render_widget(Paragraph::new(Line::from(head)), area);
    }

    fn draw_totals(&self, f: &mut Frame, env: &Env, area: Rect) {
        let tx = &env.tx;
        let c = &self.total;
        let label_w = area.width.saturating_sub(10) as usize;
        let row = |key: &str, n: u32| {
            let label = upper_first(tx.t(key));
            Line::from(format!(" {}{n:>7}", fit(&label, label_w)))
        };
        let channels = {
            let n = format!("{}/{}/{}", c.channels[0], c.channels[1], c.channels[2]);
            let w = (label_w + 7).saturating_sub(n.len() + 2);
            Line::from(format!(
                "   {:<w$}{n}",
                truncate(tx.t("reports.channels"), w)
            ))
        };
        let mut totals = vec![
            row("reports.contacts", c.contacts),
            channels,
            row("reports.unique", c.unique_visitors()),
            row("reports.new", c.new_visitors),
            row("reports.anonymous", c.anonymous_contacts),
            row("reports.conversations", c.conversations),
            row("flag.overdose", c.flags[0]),
            row("flag.referral", c.flags[1]),
            row("flag.for_others", c.flags[2]),
        ];
        more_if_cut(&mut totals, area, tx, env);
        f.render_widget(
            Paragraph::new(totals).block(Block::bordered().title(tx.t("reports.totals"))),
            area,
        );
    }

    /// What funders ask for, counted as the export counts it: visitors
    /// new and returning, age bands, genders, referrals by type, naloxone
    /// first kits and refills, collecting for others, returns per 100.
    fn draw_indicators(&self, f: &mut Frame, env: &Env, area: Rect) {
        let tx = &env.tx;
        let Some(t) = &self.period_row else { return };
        let v = |name: &str| t.value(0, name).unwrap_or(0);
        let list = |parts: Vec<(String, u64)>| -> String {
            parts
                .into_iter()
                .map(|(label, n)| format!("{label} {n}"))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let word = |key: &str| tx.t(key).to_string();
        // The catalog's name of the id in a column `PREFIX_ID`.
        let lang = tx.lang.code();
        let cat = &env.cfg.catalog;
        let named = |prefix: &str, name: &dyn Fn(&str) -> Option<String>| {
            (t.columns.iter())
                .filter_map(|c| c.strip_prefix(prefix))
                .map(|id| {
                    let id = id.replace('_', "-");
                    let col = format!("{prefix}{}", id.replace('-', "_"));
                    (name(&id).unwrap_or_else(|| id.clone()), col)
                })
                .collect::<Vec<_>>()
        };
        // New and returning split the period's visitors (new: first
        // registered in it); registrations are counted apart (some
        // registered do not come back in the period).
        let mut texts = vec![tx.f(
            "reports.ind.visitors",
            &[
                ("n", &v("unique_visitors")),
                (
                    "new",
                    &v("unique_visitors").saturating_sub(v("returning_visitors")),
                ),
                ("returning", &v("returning_visitors")),
                ("registered", &v("new_visitors")),
                ("days", &v("days_open")),
            ],
        )];
        let ages = ["<25", "25–34", "35–44", "45–54", "55+"]
            .iter()
            .zip(&crate::report::PEOPLE_COLUMNS[1..6])
            .map(|(label, col)| (label.to_string(), v(col)))
            .chain([(word("reports.ind.unknown"), v("age_unknown"))])
            .collect();
        texts.push(format!("{} {}", tx.t("reports.ind.age"), list(ages)));
        let genders = [
            ("reports.ind.female", "gender_female"),
            ("reports.ind.male", "gender_male"),
            ("reports.ind.other", "gender_other"),
            ("reports.ind.unknown", "gender_unknown"),
        ]
        .iter()
        .map(|(k, col)| (word(k), v(col)))
        .collect();
        texts.push(format!("{} {}", tx.t("reports.ind.gender"), list(genders)));
        let referral = |id: &str| {
            cat.referral(id)
                .map(|r| name_in(&r.names, lang, &r.id).to_string())
        };
        let referred: Vec<(String, u64)> = named("referred_", &referral)
            .into_iter()
            .map(|(name, col)| (name, v(&col)))
            .filter(|(_, n)| *n > 0)
            .collect();
        texts.push(format!(
            "{} {}",
            tx.t("reports.ind.referred"),
            if referred.is_empty() {
                word("reports.ind.none")
            } else {
                list(referred)
            }
        ));
        texts.push(tx.f(
            "reports.ind.naloxone",
            &[
                ("first", &v("naloxone_first")),
                ("used", &v("overdose_reversals")),
                ("lost", &v("naloxone_refill_lost")),
                ("taken", &v("naloxone_refill_taken")),
                ("expired", &v("naloxone_refill_expired")),
            ],
        ));
        texts.push(tx.n(
            "reports.ind.collecting",
            v("collecting_for_people"),
            &[("contacts", &v("collecting_for_others"))],
        ));
        let item = |id: &str| {
            cat.item(id)
                .map(|i| name_in(&i.names, lang, &i.id).to_string())
        };
        // A ratio has no value where nothing went out: left out.
        let returned: Vec<(String, u64)> = named("returned_pct_", &item)
            .into_iter()
            .filter_map(|(name, col)| Some((name, t.value(0, &col)?)))
            .collect();
        if !returned.is_empty() {
            texts.push(format!(
                "{} {}",
                tx.t("reports.ind.returned"),
                list(returned)
            ));
        }
        // Each on its own lines, wrapped at words, the rest indented.
        let width = (area.width.saturating_sub(5) as usize).max(10);
        let mut lines: Vec<Line> = texts
            .iter()
            .flat_map(|text| {
                let wrapped = crate::ui::widgets::help::wrap(text, width);
                wrapped.into_iter().enumerate().map(|(i, w)| {
                    Line::from(if i == 0 {
                        format!(" {w}")
                    } else {
                        format!("   {w}")
                    })
                })
            })
            .collect();
        more_if_cut(&mut lines, area, tx, env);
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(tx.t("reports.indicators"))),
            area,
        );
    }

    fn draw_items(&self, f: &mut Frame, env: &Env, area: Rect) {
        let (tx, c) = (&env.tx, &self.total);
        let lang = tx.lang.code();
        let cat = &env.cfg.catalog;
        let mut lines: Vec<Line> = Vec::new();
        let inner = area.width.saturating_sub(2) as usize;
        // Items handed out or returned first, then the ones at zero (dim):
        // they stay listed, below what happened.
        let mut zero = Vec::new();
        for item in &cat.items {
            let out = c.items_out.get(&item.id).copied().unwrap_or(0);
            let back = c.items_returned.get(&item.id).copied().unwrap_or(0);
            // A retired item is listed while the period has some of it.
            if !item.active && out == 0 && back == 0 {
                continue;
            }
            let mut suffix = format!("{out:>7}");
            if back > 0 {
                suffix.push_str(&format!(" ↩{back}"));
            }
            if item.doses_per_unit > 1 && out > 0 {
                let doses = out * u32::from(item.doses_per_unit);
                suffix.push_str(&format!(" ({doses} {})", tx.t("reports.doses")));
            }
            let w = inner.saturating_sub(suffix.width() + 1);
            let name = fit(name_in(&item.names, lang, &item.id), w);
            let line = format!(" {name}{suffix}");
            if out == 0 && back == 0 {
                zero.push(Line::styled(line, env.theme.dim()));
            } else {
                lines.push(Line::from(line));
            }
        }
        let mut topics: Vec<(&str, u32)> = cat
            .topics
            .iter()
            .filter_map(|t| {
                c.topics
                    .get(&t.id)
                    .map(|n| (name_in(&t.names, lang, &t.id), *n))
            })
            .collect();
        topics.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        if !topics.is_empty() {
            let list: Vec<String> = topics.iter().map(|(t, n)| format!("{t} {n}")).collect();
            lines.insert(
                0,
                Line::styled(
                    format!(" {} {}", tx.t("reports.topics"), list.join(", ")),
                    env.theme.counted(),
                ),
            );
        }
        // Stock on hand now, of the items that have stock kept (low ones
        // marked), after what happened.
        let stock: Vec<String> = (env.today.stock.iter())
            .filter_map(|l| {
                let item = cat.item(&l.item)?;
                let low = if l.is_low() {
                    format!(" ({})", tx.t("stock.low"))
                } else {
                    String::new()
                };
                Some(format!(
                    "{} {}{low}",
                    name_in(&item.names, lang, &item.id),
                    l.on_hand
                ))
            })
            .collect();
        if !stock.is_empty() {
            let at = lines.len().min(usize::from(!topics.is_empty()));
            lines.insert(
                at,
                Line::styled(
                    format!(" {} {}", tx.t("reports.stock"), stock.join(", ")),
                    env.theme.counted(),
                ),
            );
        }
        // What happened first (topics, stock, items out), then the items at
        // zero; what does not fit is said, never cut silently.
        lines.extend(zero);
        more_if_cut(&mut lines, area, tx, env);
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(tx.t("reports.items"))),
            area,
        );
    }
}
