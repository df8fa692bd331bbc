"""Runs the queries of `edgerec sql --out DIR` on DataFusion, DuckDB or Spark (local mode) over an events
file and a catalog file, and writes each count table as Parquet into OUT (DataFusion: NAME.parquet;
Spark: a folder NAME/ of part files, as a cluster writes them).

    python scale-out-run.py datafusion|duckdb|spark SQL_DIR CATALOG EVENTS OUT

EVENTS is the canonical events file (CSV or Parquet, docs/formats.md); it is turned into the
`events` table the queries read (ts in Unix seconds, seq the row's position in the file) once, as
Parquet. Prints the seconds each step took.
"""
import os
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq


def prepare(catalog, events, out_dir):
    """The `catalog` (id) and `events` tables as Parquet files for the engines."""
    strings = {c: pa.string() for c in ["user_id", "session_id", "order_id", "product_id", "event", "id"]}
    opts = pcsv.ConvertOptions(strings_can_be_null=True, column_types=strings)
    read = (lambda p: pq.read_table(p)) if events.endswith(".parquet") else (lambda p: pcsv.read_csv(p, convert_options=opts))
    ev = read(events)
    ts = ev["timestamp"]
    if pa.types.is_timestamp(ts.type):
        ts = pc.cast(pc.cast(ts, pa.timestamp("s", tz="UTC")), pa.int64())
    elif pa.types.is_string(ts.type):
        ts = pc.cast(pc.cast(pc.strptime(ts, format="%Y-%m-%dT%H:%M:%SZ", unit="s"), pa.timestamp("s")), pa.int64())
    else:
        ts = pc.cast(ts, pa.int64())
    cols = {"ts": ts, "seq": pa.array(range(len(ev)), pa.int64())}
    for c in ["user_id", "session_id", "event", "product_id", "quantity", "order_id"]:
        cols[c] = ev[c] if c in ev.column_names else pa.nulls(len(ev), pa.string() if c != "quantity" else pa.int64())
    cols["quantity"] = pc.cast(cols["quantity"], pa.int64())
    pq.write_table(pa.table(cols), os.path.join(out_dir, "events.parquet"))
    cat = pcsv.read_csv(catalog, convert_options=opts) if catalog.endswith(".csv") else pq.read_table(catalog)
    pq.write_table(cat.select(["id"]), os.path.join(out_dir, "catalog.parquet"))


def log(text):
    print(text, file=sys.stderr, flush=True)


def statements(sql_dir):
    views = open(os.path.join(sql_dir, "views.sql")).read().split("\n;\n")
    views = [v.strip() for v in views if v.strip()]
    tables = sorted(f[:-4] for f in os.listdir(sql_dir) if f.endswith(".sql") and f != "views.sql")
    return views, [(t, open(os.path.join(sql_dir, t + ".sql")).read().strip()) for t in tables]


# The sessionised events and the baskets every table reads: computed once, not once per table.
MATERIALISE = ["er_ev", "er_vseq", "er_baskets"]


def view_name(statement):
    return statement.split(" AS\n", 1)[0].split()[-1]


def run_datafusion(views, tables, work, out):
    import datafusion

    config = datafusion.SessionConfig().with_target_partitions(2)
    ctx = datafusion.SessionContext(config)
    ctx.register_parquet("events", os.path.join(work, "events.parquet"))
    ctx.register_parquet("catalog", os.path.join(work, "catalog.parquet"))
    for v in views:
        ctx.sql(v).collect()
        name = view_name(v)
        if name in MATERIALISE:
            t = time.time()
            batches = ctx.sql(f"SELECT * FROM {name}").collect()
            log(f"  {name}: {time.time() - t:.1f} s")
            ctx.deregister_table(name)
            ctx.register_record_batches(name, [batches])
    for name, q in tables:
        t = time.time()
        batches = ctx.sql(q).collect()
        table = pa.Table.from_batches(batches) if batches else ctx.sql(q).to_arrow_table()
        pq.write_table(table, os.path.join(out, name + ".parquet"))
        log(f"  {name}: {time.time() - t:.1f} s")


def run_duckdb(views, tables, work, out):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{os.path.join(work, 'events.parquet')}')")
    con.execute(f"CREATE VIEW catalog AS SELECT * FROM read_parquet('{os.path.join(work, 'catalog.parquet')}')")
    for v in views:
        con.execute(v)
    for name, q in tables:
        con.execute(f"COPY ({q}) TO '{os.path.join(out, name + '.parquet')}' (FORMAT PARQUET)")


def run_spark(views, tables, work, out):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("edgerec-scale-out")
        .config("spark.sql.shuffle.partitions", os.environ.get("EDGEREC_SPARK_PARTITIONS", "4"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", os.environ.get("EDGEREC_SPARK_MEMORY", "2g"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.parquet(os.path.join(work, "events.parquet")).createOrReplaceTempView("events")
    spark.read.parquet(os.path.join(work, "catalog.parquet")).createOrReplaceTempView("catalog")
    for v in views:
        spark.sql(v)
    for view in MATERIALISE:
        spark.table(view).cache()
    for name, q in tables:
        spark.sql(q).write.mode("overwrite").option("compression", "snappy").parquet(os.path.join(out, name))
    spark.stop()


def main():
    engine, sql_dir, catalog, events, out = sys.argv[1:6]
    os.makedirs(out, exist_ok=True)
    work = os.path.join(out, "_input")
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    prepare(catalog, events, work)
    t1 = time.time()
    views, tables = statements(sql_dir)
    {"datafusion": run_datafusion, "duckdb": run_duckdb, "spark": run_spark}[engine](views, tables, work, out)
    t2 = time.time()
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    os.rmdir(work)
    print(f"{engine}: prepared the input in {t1 - t0:.1f} s, ran the queries in {t2 - t1:.1f} s")


if __name__ == "__main__":
    main()
