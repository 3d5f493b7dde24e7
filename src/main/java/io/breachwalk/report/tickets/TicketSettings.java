package io.breachwalk.report.tickets;

/**
 * How tickets are written: the same report and the same settings give the same bytes (on the same day, when the due
 * dates count from today).
 *
 * @param dueFrom        the day SLAs count from: today by default (tickets are not overdue on import), the end of
 *                       the report's window when a re-run must give the same bytes, or a given date
 * @param component      a fixed Component for every ticket; null = the secret's scope owner
 * @param includeRotated also file a "verify" ticket for secrets the store shows changed after the exposure
 */
public record TicketSettings(PriorityNames priorities, Sla sla, DueFrom dueFrom, AssigneeMap assignees,
                             String component, boolean includeRotated) {

    public static TicketSettings defaults() {
        return new TicketSettings(PriorityNames.JIRA, Sla.DEFAULT, DueFrom.TODAY, AssigneeMap.NONE, null, false);
    }
}
