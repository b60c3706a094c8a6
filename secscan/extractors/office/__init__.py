"""Zip-packaged office formats: OOXML (docx, xlsx, xlsb, pptx), OpenDocument and OFD."""
