-- The raw log's rows are written on the ack path: every index on them is paid by every delivery. Accounts are
-- found through delivery_account (filled by the projection, and from account_id for older rows by V7).
DROP INDEX raw_delivery_account_ix;
