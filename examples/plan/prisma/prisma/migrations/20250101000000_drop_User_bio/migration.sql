-- twoway plan: step 1 of 1, release 2, contract.
-- twoway: contract
-- Ship first, in the release before this migration: code that no longer reads or writes User.bio.
-- Between this step and the next: the archive twoway_archive.User__drop_User_bio keeps the values until `twoway plan --cleanup` drops it.
CREATE SCHEMA IF NOT EXISTS twoway_archive;
CREATE TABLE twoway_archive."User__drop_User_bio" AS SELECT id, bio FROM "User";
ALTER TABLE "User" DROP COLUMN bio;
