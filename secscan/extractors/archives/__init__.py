"""Archives and single-stream compression: zip, 7z, tar, gz/bz2/xz, rar; members come out as files of
their own.
"""
