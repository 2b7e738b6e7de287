"""One round trip per check-in on PostgreSQL: the check-in's statements in one function.

``check_in_scan`` runs, in the caller's transaction (autocommit: its own), exactly the
statements ``tickets/services/_checkin.py`` runs on SQLite (``_apply_on_sqlite``), step for
step; the same tests run on both engines. The rules stay where they were, in the database:
the admission is an INSERT that the unique (ticket, scope, slot) lets through once, the
occupancy an UPDATE whose WHERE and CHECK keep it under the capacity, the scan log's unique
(device, nonce) makes a retry count once. A scan whose nonce was already logged raises
``scan_replayed``: the whole statement rolls back and the caller answers the first outcome.
A device token revoked since the caller authenticated it raises ``device_revoked`` and
changes nothing. SQLite needs nothing here.
"""

ID = "0006_check_in_function"

SQL = ""

POSTGRES = [
    """
CREATE OR REPLACE FUNCTION check_in_scan(
    p_device INTEGER, p_exhibition INTEGER, p_checkpoint INTEGER, p_ticket INTEGER, p_claimed_exhibition INTEGER,
    p_direction TEXT, p_refusal TEXT, p_scope TEXT, p_slot TEXT, p_reentry BOOLEAN,
    p_nonce TEXT, p_scanned_at TIMESTAMPTZ, p_received_at TIMESTAMPTZ,
    OUT o_result TEXT, OUT o_holder_name TEXT, OUT o_category TEXT,
    OUT o_admitted_at TIMESTAMPTZ, OUT o_admitted_by TEXT, OUT o_inside INTEGER
) LANGUAGE plpgsql AS $$
DECLARE
    v_ticket INTEGER;
    v_ticket_exhibition INTEGER;
    v_status TEXT;
    v_admission INTEGER;
    v_scan INTEGER;
BEGIN
    PERFORM 1 FROM access_token t JOIN app_user u ON u.id = t."user"
        WHERE t.id = p_device AND t.revoked_at IS NULL AND u.is_active
          AND (t.expires_at IS NULL OR t.expires_at > p_received_at);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'device_revoked';
    END IF;
    SELECT t.id, t.exhibition, t.holder_name, t.category, t.status
        INTO v_ticket, v_ticket_exhibition, o_holder_name, o_category, v_status
        FROM ticket t WHERE t.id = p_ticket;
    IF v_ticket IS NULL OR v_ticket_exhibition <> p_claimed_exhibition THEN
        o_result := 'invalid';
        v_ticket := NULL;
        o_holder_name := NULL;
        o_category := NULL;
    ELSIF p_claimed_exhibition <> p_exhibition THEN
        o_result := 'wrong_exhibition';
    ELSIF v_status <> 'valid' THEN
        o_result := 'revoked';
    ELSIF p_refusal IS NOT NULL THEN
        o_result := p_refusal;
    ELSIF p_direction = 'in' THEN
        INSERT INTO admission (ticket, checkpoint, scope, slot, admitted_at)
            VALUES (v_ticket, p_checkpoint, p_scope, p_slot, p_scanned_at)
            ON CONFLICT DO NOTHING RETURNING id INTO v_admission;
        IF v_admission IS NULL THEN
            o_result := 'already_admitted';
            SELECT a.admitted_at, c.name INTO o_admitted_at, o_admitted_by
                FROM admission a JOIN checkpoint c ON c.id = a.checkpoint
                WHERE a.ticket = v_ticket AND a.scope = p_scope AND a.slot = p_slot;
        ELSE
            UPDATE checkpoint c SET inside = c.inside + 1
                WHERE c.id = p_checkpoint AND (c.capacity IS NULL OR c.inside < c.capacity)
                RETURNING c.inside INTO o_inside;
            IF o_inside IS NULL THEN
                -- Our own uncommitted row: a scanner waiting on this slot then claims it.
                DELETE FROM admission a WHERE a.id = v_admission;
                o_result := 'capacity_reached';
            ELSE
                o_result := 'admitted';
            END IF;
        END IF;
    ELSE
        IF p_reentry THEN
            DELETE FROM admission a WHERE a.ticket = v_ticket AND a.scope = p_scope AND a.slot = p_slot
                RETURNING a.id INTO v_admission;
        END IF;
        IF p_reentry AND v_admission IS NULL THEN
            o_result := 'not_inside';
        ELSE
            UPDATE checkpoint c SET inside = c.inside - 1 WHERE c.id = p_checkpoint AND c.inside > 0
                RETURNING c.inside INTO o_inside;
            o_inside := COALESCE(o_inside, 0);
            o_result := 'exited';
        END IF;
    END IF;
    INSERT INTO scan (exhibition, device, checkpoint, ticket, direction, result, nonce, scanned_at, received_at)
        VALUES (p_exhibition, p_device, p_checkpoint, v_ticket, p_direction, o_result, p_nonce, p_scanned_at,
                p_received_at)
        ON CONFLICT DO NOTHING RETURNING id INTO v_scan;
    IF v_scan IS NULL THEN
        RAISE EXCEPTION 'scan_replayed';
    END IF;
END
$$
"""
]

# Several scans in one statement, hence one transaction and one WAL flush: an offline
# batch's chunk, or the live scans that arrived in one turn of a worker's event loop. The
# checkpoints are locked first, in id order, and a live group comes sorted by ticket, so two
# groups take their locks in the same order and cannot deadlock.
POSTGRES.append(
    """
CREATE OR REPLACE FUNCTION check_in_scans(
    p_devices INTEGER[], p_exhibitions INTEGER[], p_checkpoints INTEGER[], p_tickets INTEGER[],
    p_claimed_exhibitions INTEGER[], p_directions TEXT[], p_refusals TEXT[], p_scopes TEXT[], p_slots TEXT[],
    p_reentries BOOLEAN[], p_nonces TEXT[], p_scanned_ats TIMESTAMPTZ[], p_received_ats TIMESTAMPTZ[]
) RETURNS TABLE (
    o_result TEXT, o_holder_name TEXT, o_category TEXT, o_admitted_at TIMESTAMPTZ, o_admitted_by TEXT, o_inside INTEGER
) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM checkpoint c WHERE c.id = ANY(p_checkpoints) ORDER BY c.id FOR UPDATE;
    FOR i IN 1 .. COALESCE(array_length(p_checkpoints, 1), 0) LOOP
        RETURN QUERY SELECT * FROM check_in_scan(
            p_devices[i], p_exhibitions[i], p_checkpoints[i], p_tickets[i], p_claimed_exhibitions[i], p_directions[i],
            p_refusals[i], p_scopes[i], p_slots[i], p_reentries[i], p_nonces[i], p_scanned_ats[i], p_received_ats[i]);
    END LOOP;
END
$$
"""
)
