"""The write stage: the rows of a batch into the output folder's Parquet tables
(writer.py), the folder's layout and reading it back (outdir.py), and where each
row's figures are printed on its PDF page, the rows' provenance columns
(provenance.py)."""
