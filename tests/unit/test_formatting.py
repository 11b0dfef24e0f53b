import datetime as dt

from lofte_metrics import formatting as f


def test_swedish_numbers():
    assert f.fmt_number(1234.5, 1) == "1\u00a0234,5"
    assert f.fmt_number(1234567) == "1\u00a0234\u00a0567"
    assert f.fmt_number(-3.25, 2) == "\u22123,25"
    assert f.fmt_number(None) == "–"
    assert f.fmt_percent(0.425) == "43\u00a0%"
    assert f.fmt_percent(0.1, signed=True) == "+10\u00a0%"


def test_iso_weeks_use_the_iso_year():
    # 1 January 2022 was a Saturday in ISO week 52 of 2021.
    assert f.iso_week_label(dt.date(2022, 1, 1)) == "v.\u00a052 2021"
    assert f.iso_week_code(dt.date(2022, 1, 3)) == "2022-W01"
    assert f.parse_iso_week("2022-W41") == dt.date(2022, 10, 10)
    assert f.week_start(dt.date(2022, 10, 16)) == dt.date(2022, 10, 10)


def test_stockholm_time():
    moment = dt.datetime(2022, 6, 30, 22, 30, tzinfo=dt.UTC)
    assert f.local_date(moment) == dt.date(2022, 7, 1)  # 00:30 in summer time
    assert f.fmt_datetime(moment) == "1 juli 2022 kl. 00:30"
    winter = dt.datetime(2022, 1, 15, 23, 30, tzinfo=dt.UTC)
    assert f.fmt_datetime(winter) == "16 januari 2022 kl. 00:30"


def test_dates_and_periods():
    assert f.fmt_date(dt.date(2022, 10, 16)) == "16 oktober 2022"
    assert f.fmt_period(dt.date(2022, 1, 1), dt.date(2022, 10, 16)) == "1 januari – 16 oktober 2022"
    assert f.month_label(dt.date(2022, 3, 1), short=True) == "mar 2022"
