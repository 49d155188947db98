/**
 * Event intake as a person submits it (POST /api/v1/events, the event import, the console's event form):
 * store the event through events' EventService (with approvals' four eyes), then regrade the merchant at
 * once through grading. It sits above events, grading and approvals, which do not know it.
 */
package cn.urbanmgmt.risk.intake;
