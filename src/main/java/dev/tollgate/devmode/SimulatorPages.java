package dev.tollgate.devmode;

import java.math.BigDecimal;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** The Stripe simulator's pages: Checkout (pay, decline, 3D Secure) and the Customer Portal. Plain HTML forms. */
final class SimulatorPages {

    private static final String STYLE = """
            <style>
              body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
              main { max-width: 28rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 2rem;
                     box-shadow: 0 2px 8px rgba(0,0,0,.08); }
              .banner { background: #fff4d6; border: 1px solid #e8c36a; padding: .5rem .75rem; border-radius: 4px;
                        font-size: .85rem; }
              .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0 1rem; }
              button { font: inherit; padding: .6rem 1.2rem; border-radius: 4px; border: 1px solid #635bff;
                       cursor: pointer; margin: .25rem .5rem .25rem 0; }
              button.primary { background: #635bff; color: #fff; }
              button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #0a84ff;
                       outline-offset: 2px; }
              [role=alert] { background: #fde8e8; color: #9b1c1c; padding: .6rem .75rem; border-radius: 4px; }
              label { display: block; margin: 1rem 0; }
            </style>
            """;

    private SimulatorPages() {
    }

    /**
     * @param failure the decline message to show, or null
     * @param authenticating the 3D Secure step instead of the card form
     */
    static String checkout(JsonNode session, StripeSimulator.Item item, String failure, boolean authenticating) {
        String id = escape(session.path("id").asText());
        String what = "plan".equals(item.kind())
                ? escape(item.name()) + " plan, billed every " + escape(item.interval())
                : escape(item.name()) + " × " + item.quantity();
        StringBuilder page = new StringBuilder(head("Simulated Stripe Checkout"));
        page.append("<main aria-labelledby=\"title\">")
                .append("<p class=\"banner\">Tollgate dev mode: Stripe simulator, no real payment.</p>")
                .append("<h1 id=\"title\">Checkout</h1>")
                .append("<p id=\"item\" data-kind=\"").append(escape(item.kind())).append("\">").append(what)
                .append("</p>")
                .append("<p class=\"amount\" id=\"amount\">").append(amount(item.amount(), item.currency()))
                .append("</p>");
        int trialDays = session.path("metadata").path("simulated_trial_days").asInt(0);
        if (trialDays > 0) {
            page.append("<p id=\"trial\">").append(trialDays).append("-day free trial: nothing is charged today.</p>");
        }
        if (failure != null) {
            page.append("<p role=\"alert\" id=\"failure\">").append(escape(failure)).append("</p>");
        }
        page.append("<form method=\"post\" action=\"").append(StripeSimulatorResource.PAGES).append("/checkout/")
                .append(id).append("\">");
        if (authenticating) {
            page.append("<h2>3D Secure</h2><p id=\"authentication\">Your bank asks you to confirm this payment of ")
                    .append(amount(item.amount(), item.currency())).append(".</p>")
                    .append("<button class=\"primary\" name=\"action\" value=\"authenticate\">Complete authentication</button>")
                    .append("<button name=\"action\" value=\"fail-authentication\">Fail authentication</button>");
        } else {
            page.append("<label><input type=\"checkbox\" name=\"authentication\" id=\"authentication-option\">")
                    .append(" Card requires authentication (3D Secure)</label>")
                    .append("<button class=\"primary\" name=\"action\" value=\"pay\" id=\"pay\">Pay ")
                    .append(amount(item.amount(), item.currency())).append("</button>")
                    .append("<button name=\"action\" value=\"decline\" id=\"decline\">Decline</button>");
        }
        page.append("</form>");
        String cancel = session.path("cancel_url").asText(null);
        if (cancel != null) {
            page.append("<p><a id=\"back\" href=\"").append(escape(cancel)).append("\">← Back</a></p>");
        }
        return page.append("</main></body></html>").toString();
    }

    static String portal(JsonNode portal) {
        String back = portal.path("return_url").asText(null);
        StringBuilder page = new StringBuilder(head("Simulated Customer Portal"));
        page.append("<main aria-labelledby=\"title\">")
                .append("<p class=\"banner\">Tollgate dev mode: Stripe simulator.</p>")
                .append("<h1 id=\"title\">Customer Portal</h1>")
                .append("<p>Stripe's portal lets the customer update the card, download invoices and cancel. The"
                        + " simulator has no cards to update: cancel, resume and change the plan from the account"
                        + " panel (the same calls the portal's buttons make).</p>");
        if (back != null) {
            page.append("<p><a id=\"return\" href=\"").append(escape(back)).append("\">Return</a></p>");
        }
        return page.append("</main></body></html>").toString();
    }

    static String amount(long minor, String currency) {
        return new BigDecimal(minor).movePointLeft(2).toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
    }

    private static String head(String title) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + "</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" + STYLE
                + "</head><body>";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
