# The audit log is deliberately not registered in the Django admin: it can be
# read on the privacy officer's pages and cannot be edited or deleted anywhere.
