-- The original spelling of each email is gone: nothing to restore.
SELECT 1;
