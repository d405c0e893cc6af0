-- Version 25: each child's own allocated worker. Central allocates child by child and sends
-- each child with its case naming that child's worker; the laptop kept one record a case, so
-- brothers and sisters allocated to different workers all took the worker of the last one
-- pulled, and a team lead's children and overdue counts by worker differed from central's.
-- NULL (a child pulled before 25, or made on this laptop): the case's worker, as before,
-- until the child is pulled again.

ALTER TABLE children ADD COLUMN allocated_worker TEXT;
