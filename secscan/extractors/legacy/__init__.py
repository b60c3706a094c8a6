"""Legacy Office (OLE compound files: .doc, .xls, .ppt and WPS), RTF, OfficeArt drawings and embedded
OLE objects.
"""
