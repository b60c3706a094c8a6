"""Mail: .eml, mbox, Outlook .msg (MAPI properties) and TNEF winmail.dat, with attachments as members."""
