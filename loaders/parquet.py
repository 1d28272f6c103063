"""Read a Parquet file as pandas does, reporting the share read (loaders.progress)."""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from loaders.progress import Progress, nothing


def read_parquet(path: Path, progress: Progress = nothing) -> pd.DataFrame:
    """A Parquet file one row group at a time (the share read is the share of row groups), converted as
    ``pd.read_parquet(dtype_backend="numpy_nullable")`` converts it: nullable dtypes, so an int64 column
    with a null does not become float64 and lose digits beyond 2**53."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pandas.io._util import arrow_table_to_pandas  # what pd.read_parquet itself calls

    source = pq.ParquetFile(path)
    groups = source.num_row_groups
    if groups < 2:
        table = source.read(use_pandas_metadata=True)
    else:
        parts = []
        for i in range(groups):
            parts.append(source.read_row_group(i, use_pandas_metadata=True))
            progress((i + 1) / groups * 0.9, f"reading {path.name}: row group {i + 1:,} of {groups:,}")
        table = pa.concat_tables(parts)
    with warnings.catch_warnings():  # as pd.read_parquet does: pandas' own deprecation, not the file's
        warnings.filterwarnings("ignore", "make_block is deprecated")
        return arrow_table_to_pandas(table, dtype_backend="numpy_nullable")
