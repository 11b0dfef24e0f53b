"""The promise editor's parts: a new promise, the promise's own fields, one table per sheet, Excel.

Every save goes through ``authoring.promise.save_promise``: the same validation and Swedish
messages as the workbook import, one undoable import batch per save.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from .. import queries as q
from .. import reference
from ..access.roles import AccessDenied
from ..activities import OWNER_LABELS, STATUS_LABELS
from ..authoring.promise import new_promise_tables, promise_tables, promise_workbook, save_promise
from ..db import WriteBusy
from ..ingest.importer import ImportRefused, Preview, commit, prepare, template
from ..ingest.reading import FileProblem, Table
from ..ingest.rows import PROMISE_SHEETS
from ..models import ACTIVITY_STATUSES, OWNERS
from .tables import frame_to_table, table_to_frame
from .text import escape_md

if TYPE_CHECKING:
    from ..context import PageContext

FLASH = "promise_flash"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def flash() -> None:
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")


def _saved(ctx: PageContext, preview: Preview, batch_id: int | None, what: str, ref: str | None = None) -> None:
    from ..context import clear_caches

    clear_caches()
    if batch_id is None:
        st.session_state[FLASH] = f"{what}: inget ändrat."
    else:
        lines = escape_md("; ".join(preview.summary_lines(changes_only=True)))
        st.session_state[FLASH] = f"{what}: sparat som importomgång {batch_id} (kan ångras på sidan Data). {lines}."
    if ref is not None:
        st.session_state[f"scope_promise_{ctx.kommunkod}"] = ref
    st.rerun()


def _problems(preview: Preview) -> None:
    st.error(f"{len(preview.problems)} fel; inget är sparat. Rätta och spara igen.", icon=":material/block:")
    st.text("\n".join(p.line(preview.file_name) for p in preview.problems[:30]))


def _save(ctx: PageContext, tables: dict[str, Table], what: str, *, promise_id: int | None,
          replace: frozenset[str] = frozenset()) -> None:  # fmt: skip
    try:
        preview, outcome = save_promise(ctx.engine, ctx.kommunkod, tables, ctx.actor, promise_id=promise_id,
                                        replace=replace, label=f"Löftet: {what.lower()}")  # fmt: skip
    except (FileProblem, ImportRefused, AccessDenied, WriteBusy) as exc:
        st.error(escape_md(str(exc), 600), icon=":material/block:")
        return
    if outcome is None:
        _problems(preview)
        return
    ref = next((p.values["ref"] for p in preview.planned if p.target == "promise"), None)
    _saved(ctx, preview, outcome.batch_id, what, ref)


# --------------------------------------------------------------------------- a new promise


def new_promise_form(ctx: PageContext) -> None:
    """Create a medborgarlöfte: its fields and its fokusområden (the proposed three, editable)."""
    from ..context import today

    year = today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    draft = new_promise_tables(ctx.kommun.name, ctx.kommunkod, ctx.kommun.police_area, start, end)
    proposals = {name: (key, description) for key, name, description in reference.DEFAULT_FOCUS_AREAS}
    with st.form("new_promise"):
        fields = _promise_fields(draft["Löfte"], key="new")
        chosen = st.multiselect(
            "Fokusområden",
            list(proposals),
            default=list(proposals),
            accept_new_options=True,
            key="new_focus",
            help="Förslaget är trygghet, narkotika och trafik. Ta bort med krysset; skriv ett namn och tryck Enter "
            "för att lägga till ett eget. Beskrivningar och ordning ändras sedan under fliken Fokusområden.",
        )
        sent = st.form_submit_button("Skapa löftet", type="primary", icon=":material/add:")
    if sent:
        header = [c.header for c in PROMISE_SHEETS["Fokusområden"].columns]
        rows = [(i + 1, [proposals.get(n, (None, None))[0], n, proposals.get(n, (None, None))[1], i])
                for i, n in enumerate(chosen)]  # fmt: skip
        tables = {"Löfte": fields, "Fokusområden": Table(header, rows)}
        _save(ctx, tables, "Medborgarlöftet", promise_id=None, replace=frozenset({"Fokusområden"}))


def _promise_fields(table: Table, key: str) -> Table:
    """The promise's own fields as inputs; returns them as the Löfte sheet."""
    header = table.header
    row = dict(zip(header, table.rows[0][1], strict=True)) if table.rows else {}
    title = st.text_input("Titel", value=row.get("titel") or "", max_chars=200, key=f"{key}_title")
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("Gäller från", value=row.get("från"), format="YYYY-MM-DD", key=f"{key}_start")
    end = c2.date_input("Gäller till", value=row.get("till"), format="YYYY-MM-DD", key=f"{key}_end")
    signed = c3.date_input("Undertecknat", value=row.get("undertecknat"), format="YYYY-MM-DD", key=f"{key}_signed")
    police = st.text_input("Lokalpolisområde", value=row.get("lokalpolisområde") or "", max_chars=120,
                           key=f"{key}_police")  # fmt: skip
    signatories = st.text_area(
        "Undertecknat av (en per rad)",
        value="\n".join(p.strip() for p in str(row.get("undertecknare") or "").split(";") if p.strip()),
        key=f"{key}_signatories",
        height=90,
    )
    summary = st.text_area("Sammanfattning", value=row.get("sammanfattning") or "", max_chars=4000,
                           key=f"{key}_summary", height=110)  # fmt: skip
    values = {"id": row.get("id"), "titel": title, "kommunkod": row.get("kommunkod"), "lokalpolisområde": police,
              "från": start, "till": end, "undertecknat": signed, "undertecknare": signatories,
              "sammanfattning": summary}  # fmt: skip
    return Table(header, [(1, [values.get(h) or None for h in header])])


# --------------------------------------------------------------------------- the sheets


def _focus_columns() -> dict[str, Any]:
    return {
        "nyckel": st.column_config.TextColumn("Nyckel", help="Små bokstäver; tomt = skapas från namnet", width="small"),
        "namn": st.column_config.TextColumn("Namn", required=True, width="medium"),
        "beskrivning": st.column_config.TextColumn("Beskrivning", width="large"),
        "ordning": st.column_config.NumberColumn("Ordning", min_value=0, step=1, width="small"),
    }


def _columns(ctx: PageContext, title: str, tables: dict[str, Table]) -> dict[str, Any]:
    if title == "Fokusområden":
        return _focus_columns()
    if title == "Åtaganden":
        focus = [r[1][0] for r in tables["Fokusområden"].rows]
        names = {r[1][0]: r[1][1] for r in tables["Fokusområden"].rows}
        return {
            "id": st.column_config.TextColumn("Id", required=True, width="small"),
            "fokusområde": st.column_config.SelectboxColumn("Fokusområde", options=focus, required=True,
                                                            format_func=lambda k: names.get(k, k)),
            "ägare": st.column_config.SelectboxColumn("Ägare", options=list(OWNERS), required=True,
                                                      format_func=lambda o: OWNER_LABELS.get(o, o)),
            "åtagande": st.column_config.TextColumn("Åtagande", required=True, width="large"),
            "mål": st.column_config.NumberColumn("Mål", min_value=0, step=1, width="small"),
            "enhet": st.column_config.TextColumn("Enhet", width="small"),
            "klart senast": st.column_config.DateColumn("Klart senast", format="YYYY-MM-DD"),
        }  # fmt: skip
    commitments = [r[1][0] for r in tables["Åtaganden"].rows]
    areas = ctx.q(q.areas, ctx.kommunkod)
    districts = {c: n for c, n, k in zip(areas["code"], areas["name"], areas["kind"], strict=True) if k != "kommun"}
    return {
        "id": st.column_config.TextColumn("Id", required=True, width="small"),
        "åtagande": st.column_config.SelectboxColumn("Åtagande", options=commitments, required=True, width="small"),
        "aktivitet": st.column_config.TextColumn("Aktivitet", required=True, width="large"),
        "ägare": st.column_config.SelectboxColumn("Ägare", options=list(OWNERS), required=True,
                                                  format_func=lambda o: OWNER_LABELS.get(o, o)),
        "ansvarig": st.column_config.TextColumn("Ansvarig"),
        "start": st.column_config.DateColumn("Start", format="YYYY-MM-DD", required=True),
        "slut": st.column_config.DateColumn("Slut", format="YYYY-MM-DD", required=True),
        "planerat antal": st.column_config.NumberColumn("Planerat antal", min_value=0, step=1, required=True),
        "status": st.column_config.SelectboxColumn("Status", options=list(ACTIVITY_STATUSES), required=True,
                                                   default="planerad", format_func=lambda s: STATUS_LABELS.get(s, s)),
        "område": st.column_config.SelectboxColumn("Område", options=list(districts),
                                                   format_func=lambda c: districts.get(c, c)),
    }  # fmt: skip


def _typed(title: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give the editor columns the types their column configs expect (dates as dates)."""
    dates = {"Åtaganden": ("klart senast",), "Aktiviteter": ("start", "slut")}.get(title, ())
    for column in dates:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _next_ref(prefix: str, taken: list[str], width: int = 0) -> str:
    n = len(taken) + 1
    while f"{prefix}{n:0{width}d}" in taken:
        n += 1
    return f"{prefix}{n:0{width}d}"


def add_commitment_form(ctx: PageContext, tables: dict[str, Table]) -> None:
    """One åtagande at a time, for when a table is more than is needed."""
    assert ctx.promise is not None
    focus = {r[1][0]: r[1][1] for r in tables["Fokusområden"].rows}
    taken = [r[1][0] for r in tables["Åtaganden"].rows]
    with st.expander("Lägg till ett åtagande", icon=":material/add:"):
        if not focus:
            st.caption("Lägg först till ett fokusområde.")
            return
        with st.form("add_commitment", clear_on_submit=True):
            c1, c2, c3 = st.columns([1, 2, 1])
            ref = c1.text_input("Id", max_chars=40, placeholder=_next_ref("Å", taken), key="add_c_ref")
            key = c2.selectbox("Fokusområde", list(focus), format_func=lambda k: focus.get(k, k), key="add_c_focus")
            owner = c3.selectbox("Ägare", list(OWNERS), format_func=lambda o: OWNER_LABELS.get(o, o), key="add_c_owner")
            text = st.text_area("Åtagande", max_chars=2000, key="add_c_text", height=80,
                                placeholder="Polisen lovar att …")  # fmt: skip
            c1, c2, c3 = st.columns(3)
            target = c1.number_input("Mål (antal)", min_value=0, step=1, value=None, key="add_c_target")
            unit = c2.text_input("Enhet", max_chars=80, key="add_c_unit", placeholder="t.ex. trafikkontroller")
            due = c3.date_input("Klart senast", value=None, format="YYYY-MM-DD", key="add_c_due")
            sent = st.form_submit_button("Lägg till åtagandet", type="primary")
        if sent:
            header = [c.header for c in PROMISE_SHEETS["Åtaganden"].columns]
            row = [ref or _next_ref("Å", taken), key, owner, text, target, unit or None, due]
            _save(ctx, {"Löfte": tables["Löfte"], "Åtaganden": Table(header, [(1, row)])}, "Åtagandet",
                  promise_id=ctx.promise.id)  # fmt: skip


def add_activity_form(ctx: PageContext, tables: dict[str, Table]) -> None:
    assert ctx.promise is not None
    commitments = {r[1][0]: (r[1][3] or "") for r in tables["Åtaganden"].rows}
    owners = {r[1][0]: r[1][2] for r in tables["Åtaganden"].rows}
    taken = [r[1][0] for r in tables["Aktiviteter"].rows]
    areas = ctx.q(q.areas, ctx.kommunkod)
    districts = {c: n for c, n, k in zip(areas["code"], areas["name"], areas["kind"], strict=True) if k != "kommun"}
    with st.expander("Lägg till en aktivitet", icon=":material/add:"):
        if not commitments:
            st.caption("Lägg först till ett åtagande.")
            return
        with st.form("add_activity", clear_on_submit=True):
            c1, c2 = st.columns([1, 3])
            ref = c1.text_input("Id", max_chars=40, placeholder=_next_ref("A-", taken, 3), key="add_a_ref")
            commitment = c2.selectbox("Åtagande", list(commitments), key="add_a_commitment",
                                      format_func=lambda r: f"{r} – {commitments[r][:80]}")  # fmt: skip
            title = st.text_input("Aktivitet", max_chars=300, key="add_a_title", placeholder="t.ex. Trafikkontroller")
            c1, c2, c3 = st.columns(3)
            owner = c1.selectbox(
                "Ägare", ["", *OWNERS], key="add_a_owner", format_func=lambda o: OWNER_LABELS.get(o, "Som åtagandet")
            )
            unit = c2.text_input("Ansvarig", max_chars=200, key="add_a_unit")
            count = c3.number_input("Planerat antal", min_value=0, step=1, value=1, key="add_a_count")
            c1, c2, c3, c4 = st.columns(4)
            start = c1.date_input("Start", value=ctx.promise.period_start, format="YYYY-MM-DD", key="add_a_start")
            end = c2.date_input("Slut", value=ctx.promise.period_end, format="YYYY-MM-DD", key="add_a_end")
            status = c3.selectbox("Status", list(ACTIVITY_STATUSES), key="add_a_status",
                                  format_func=lambda s: STATUS_LABELS.get(s, s))  # fmt: skip
            area = c4.selectbox("Område", ["", *districts], key="add_a_area",
                                format_func=lambda c: "Hela kommunen" if not c else districts.get(c, c))  # fmt: skip
            sent = st.form_submit_button("Lägg till aktiviteten", type="primary")
        if sent:
            header = [c.header for c in PROMISE_SHEETS["Aktiviteter"].columns]
            row = [ref or _next_ref("A-", taken, 3), commitment, title, owner or owners[commitment], unit or None,
                   start, end, count, status, area or None]  # fmt: skip
            _save(ctx, {"Löfte": tables["Löfte"], "Aktiviteter": Table(header, [(1, row)])}, "Aktiviteten",
                  promise_id=ctx.promise.id)  # fmt: skip


def sheet_editor(ctx: PageContext, title: str, tables: dict[str, Table]) -> None:
    """One sheet as an editable table; rows can be added, changed and removed, then saved at once."""
    assert ctx.promise is not None
    spec = PROMISE_SHEETS[title]
    frame = _typed(title, table_to_frame(tables[title]) if tables[title].rows else pd.DataFrame(
        columns=[c.header for c in spec.columns]))  # fmt: skip
    help_text = {
        "Fokusområden": "Fokusområdets nyckel kopplar händelsetyper till det (sidan Händelsetyper).",
        "Åtaganden": "Vad polisen, kommunen eller båda lovar, ofta med ett mål (t.ex. minst 50 trafikkontroller).",
        "Aktiviteter": "Planerat arbete som uppfyller ett åtagande. En aktivitet med genomföranden tas inte bort: "
        "sätt status inställd.",
    }[title]
    st.caption(help_text)
    if not ctx.can("redigera"):
        st.dataframe(frame, hide_index=True, column_config=_columns(ctx, title, tables))
        return
    if title == "Åtaganden":
        add_commitment_form(ctx, tables)
    elif title == "Aktiviteter":
        add_activity_form(ctx, tables)
    edited = st.data_editor(frame, num_rows="dynamic", hide_index=True, key=f"edit_{title}_{ctx.promise.id}",
                            column_config=_columns(ctx, title, tables), width="stretch")  # fmt: skip
    if st.button(f"Spara {title.lower()}", type="primary", key=f"save_{title}", icon=":material/save:"):
        changed = {"Löfte": tables["Löfte"], title: frame_to_table(edited)}
        _save(ctx, changed, title, promise_id=ctx.promise.id, replace=frozenset({title}))


def promise_panel(ctx: PageContext, tables: dict[str, Table]) -> None:
    assert ctx.promise is not None
    if not ctx.can("redigera"):
        header = tables["Löfte"].header
        row = dict(zip(header, tables["Löfte"].rows[0][1], strict=True))
        st.text("\n".join(f"{h.capitalize()}: {'' if v is None else v}" for h, v in row.items()))
        return
    with st.form(f"promise_{ctx.promise.id}"):
        fields = _promise_fields(tables["Löfte"], key=f"p{ctx.promise.id}")
        sent = st.form_submit_button("Spara löftet", type="primary", icon=":material/save:")
    if sent:
        _save(ctx, {"Löfte": fields}, "Löftet", promise_id=ctx.promise.id)


def excel_panel(ctx: PageContext) -> None:
    """Download the promise as a workbook, or read one in (adds and updates; removes nothing)."""
    if ctx.promise is not None:
        st.download_button(
            "Hämta löftet som Excel",
            data=promise_workbook(ctx.engine, ctx.promise.id),
            file_name=f"medborgarlofte-{ctx.kommunkod}-{ctx.promise.ref}.xlsx",
            mime=XLSX,
            icon=":material/download:",
        )
    st.download_button("Hämta tom mall", data=template("promise"), file_name="mall-medborgarlofte.xlsx", mime=XLSX,
                       icon=":material/description:")  # fmt: skip
    if not ctx.can("redigera"):
        return
    st.caption(
        "Arbetsboken har bladen Löfte, Fokusområden, Åtaganden och Aktiviteter. Samma id uppdaterar en rad; "
        "rader som saknas i filen tas inte bort (ta bort dem i tabellerna här)."
    )
    upload = st.file_uploader("Läs in en arbetsbok", type=["xlsx"], key="promise_upload")
    if upload is None:
        return
    try:
        preview = prepare(ctx.engine, "promise", upload.getvalue(), upload.name, kommunkod=ctx.kommunkod)
    except FileProblem as exc:
        st.error(escape_md(str(exc), 600), icon=":material/block:")
        return
    if preview.problems:
        _problems(preview)
        return
    st.text("\n".join(preview.summary_lines()))
    if st.button("Läs in arbetsboken", type="primary", key="promise_upload_go"):
        try:
            outcome = commit(ctx.engine, preview, actor=ctx.actor)
        except (ImportRefused, AccessDenied, WriteBusy) as exc:
            st.error(escape_md(str(exc), 600), icon=":material/block:")
            return
        ref = next((p.values["ref"] for p in preview.planned if p.target == "promise"), None)
        _saved(ctx, preview, outcome.batch_id, f"Arbetsboken {escape_md(upload.name)}", ref)


def current_tables(ctx: PageContext) -> dict[str, Table]:
    assert ctx.promise is not None
    return promise_tables(ctx.engine, ctx.promise.id)
