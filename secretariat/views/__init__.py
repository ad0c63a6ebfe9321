"""The secretariat workspace, one module per thing it works on: meetings, attendance, the
record, documents, projects, workplans, participants (with working groups and regions), API
keys, and the generic edit/delete/reorder of their parts (parts.py); common.py holds what
they share. Views parse input, call one service, render; every one of them is wrapped in
`secretariat_only`."""
