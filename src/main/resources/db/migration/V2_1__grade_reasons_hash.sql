-- A hash of a grade's reasons lets a regrade skip rewriting merchants whose result did not change.
alter table merchant_grade add column reasons_hash int not null default 0;
