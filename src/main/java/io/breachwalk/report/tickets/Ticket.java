package io.breachwalk.report.tickets;

/** One row of tickets.csv, before cell neutralisation. `externalId` is the secret_id: re-imports update, not add. */
public record Ticket(String externalId, String summary, String description, String priority, String labels,
                     String component, String dueDate, String assignee) {
}
