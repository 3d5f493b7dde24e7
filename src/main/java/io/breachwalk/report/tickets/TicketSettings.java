package io.breachwalk.report.tickets;

import java.time.LocalDate;

/**
 * How tickets are written: the same report and the same settings always give the same bytes.
 *
 * @param dueFrom        the date SLAs count from; null = the day the report's window ends (deterministic, and for
 *                       an incident scanned as it is disclosed, close to when the response starts)
 * @param component      a fixed Component for every ticket; null = the secret's scope owner
 * @param includeRotated also file a "verify" ticket for secrets the store shows changed after the exposure
 */
public record TicketSettings(PriorityNames priorities, Sla sla, LocalDate dueFrom, AssigneeMap assignees,
                             String component, boolean includeRotated) {

    public static TicketSettings defaults() {
        return new TicketSettings(PriorityNames.JIRA, Sla.DEFAULT, null, AssigneeMap.NONE, null, false);
    }
}
