-- Version 22: pull everything again once. A central of protocol 7 sends an agency note that
-- says whether it reports an injury or hunger (`reports_injury`, `reports_food_or_weight`)
-- only to a laptop that asks for such notes (`answered_notes=true`); this laptop did not ask
-- before this version, so any it was not sent lie behind its cursor. Pulling from the start
-- brings them: every pulled record is stored by its id, so the others are only stored again
-- (and a team lead's review index works their children out again, as for any re-pull).

UPDATE sync_state SET pull_cursor = 0;
