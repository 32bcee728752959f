"""Summary statistics shared by the benchmark's parts (bench.py, webhooks.py, auth.py)."""
import statistics


def med(values):
    """The median of the values that are not None; None when there are none."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def stats(runs, keys):
    """For each key: the median over the runs that have it, and its min and max (key_min, key_max)."""
    out = {}
    for k in keys:
        vals = [r.get(k) for r in runs if r.get(k) is not None]
        out[k] = med(vals)
        out[k + "_min"] = min(vals, default=None)
        out[k + "_max"] = max(vals, default=None)
    return out
