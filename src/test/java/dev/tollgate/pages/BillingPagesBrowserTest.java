package dev.tollgate.pages;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.testing.Db;
import dev.tollgate.testing.SimulatorProfile;
import dev.tollgate.testing.TestTokens;
import dev.tollgate.testing.WallClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The billing components in a real browser (headless Chromium) on the demo page, buying from the Stripe simulator:
 * each scenario checks what the page shows and what the database holds. Screenshots of each final state go to
 * target/browser-screenshots (and, with -Dbilling.screenshots.docs=true, the README's to docs/screenshots).
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class BillingPagesBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static BrowserSession browser;

    @Inject
    Db db;

    @Inject
    CatalogConfig catalog;

    /** A fresh browser per scenario: nothing (connections, storage, streams) carries over from the one before. */
    @BeforeEach
    void startBrowser() {
        browser = BrowserSession.start(ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private static void openDemo(String account) {
        browser.open(SimulatorProfile.ORIGIN + "/billing/demo?account=" + account);
    }

    private static WebElement button(String host, String text) {
        return browser.until(WAIT, "a button \"" + text + "\" in " + host, () -> browser.allInside(host, "button")
                .stream().filter(b -> b.getText().trim().equals(text)).findFirst().orElse(null));
    }

    private static String text(String host, String css) {
        return browser.element(host, css).getText().trim();
    }

    private static void awaitText(String host, String css, String expected) {
        browser.until(WAIT, host + " " + css + " shows " + expected, () -> {
            WebElement e = browser.inside(host, css);
            return e != null && e.getText().contains(expected);
        });
    }

    /** Pays (or declines) on the simulated Checkout page the browser is on. */
    private static void onCheckout(String buttonId) {
        browser.until(WAIT, "the simulated Checkout page", () -> {
            if (browser.driver.getCurrentUrl().contains("/dev/stripe/checkout/cs_test_")) {
                return true;
            }
            WebElement error = browser.inside("tollgate-pricing", "[role=alert]");
            if (error != null) {
                throw new AssertionError("the pricing table shows " + error.getText());
            }
            return false;
        }, () -> browser.driver.getCurrentUrl() + " " + browser.driver.executeScript(
                "return document.querySelector('tollgate-pricing').shadowRoot.innerHTML.replace(/<style>[^]*<\\/style>/, '')"
                        + ".slice(-600)"));
        browser.driver.findElement(By.id(buttonId)).click();
    }

    private static String sessionIdInUrl() {
        browser.until(WAIT, "back on the demo page", () -> browser.driver.getCurrentUrl().contains("session_id="));
        return browser.driver.getCurrentUrl().replaceFirst(".*session_id=([^&]+).*", "$1");
    }

    private long balance(String account) {
        return ((Number) db.value("select coalesce(sum(amount), 0) from credit_ledger where account_id = $1", account))
                .longValue();
    }

    private String customerOf(String account) {
        return (String) db.value("select stripe_customer_id from account where id = $1", account);
    }

    @Test
    void pricingRendersEveryConfiguredPlanAndPack() {
        String account = "acct-web-pricing";
        openDemo(account);
        browser.element("tollgate-pricing", "article.pack");
        Set<String> plans = browser.allInside("tollgate-pricing", "article.plan").stream()
                .map(e -> e.getAttribute("data-plan")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> packs = browser.allInside("tollgate-pricing", "article.pack").stream()
                .map(e -> e.getAttribute("data-pack")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(catalog.plans().keySet()), plans);
        assertEquals(new TreeSet<>(catalog.packs().keySet()), packs);
        assertTrue(text("tollgate-pricing", "article[data-plan=pro]").contains("$20.00"));
        assertTrue(text("tollgate-pricing", "article[data-plan=pro]").contains("14-day free trial"));
        assertTrue(text("tollgate-pricing", "article[data-pack=large]").contains("5000 credits"));
        button("tollgate-pricing", "Yearly").click();
        awaitText("tollgate-pricing", "article[data-plan=pro] .price", "$200.00");
        button("tollgate-pricing", "Monthly").click();
        awaitText("tollgate-pricing", "article[data-plan=pro] .price", "$20.00");
        // Showing prices creates nothing: no account, no Stripe customer.
        assertEquals(0L, db.count("select count(*) from account where id = $1", account));
        browser.screenshot("billing-pricing", browser.driver.findElement(By.cssSelector("tollgate-pricing")), true);
    }

    @Test
    void subscribeThroughCheckoutThenCancelAtPeriodEndAndResume() {
        String account = "acct-web-team";
        openDemo(account);
        button("tollgate-pricing", "Subscribe to Team").click();
        browser.until(WAIT, "the simulated Checkout page", () -> browser.driver.getCurrentUrl().contains(
                "/dev/stripe/checkout/"));
        assertTrue(browser.driver.findElement(By.id("amount")).getText().contains("60.00 USD"));
        browser.screenshot("billing-simulated-checkout", null, true);
        onCheckout("pay");
        String session = sessionIdInUrl();

        awaitText("tollgate-checkout-return", "[part=result]", "You are now on the Team plan.");
        awaitText("tollgate-account", ".plan-name", "Team");
        assertEquals("active", text("tollgate-account", ".status"));
        awaitText("tollgate-account", ".balance", "5000");
        awaitText("tollgate-account", ".licenses", "active");
        assertEquals("active", db.value("select status from stripe_subscription where customer_id = $1",
                customerOf(account)));
        assertEquals("price_team_monthly", db.value("select price_id from stripe_subscription where customer_id = $1",
                customerOf(account)));
        assertEquals("complete", db.value("select status from stripe_checkout_session where id = $1", session));
        assertEquals(5000L, balance(account));
        browser.screenshot("billing-checkout-return",
                browser.driver.findElement(By.cssSelector("tollgate-checkout-return")), true);

        WallClock.nextSecond(); // not in the checkout's second (WallClock says why)
        button("tollgate-account", "Cancel subscription").click();
        browser.element("tollgate-account", "[role=alertdialog]");
        button("tollgate-account", "Yes, cancel").click();
        awaitText("tollgate-account", ".cancel-state", "Cancels on");
        button("tollgate-account", "Resume subscription");
        assertEquals(true, db.value("select cancel_at_period_end from stripe_subscription where customer_id = $1",
                customerOf(account)));
        browser.screenshot("billing-account-canceling", browser.driver.findElement(By.cssSelector("tollgate-account")),
                false);

        WallClock.nextSecond();
        button("tollgate-account", "Resume subscription").click();
        button("tollgate-account", "Cancel subscription");
        assertNull(browser.inside("tollgate-account", ".cancel-state"));
        assertEquals(false, db.value("select cancel_at_period_end from stripe_subscription where customer_id = $1",
                customerOf(account)));
        browser.screenshot("billing-account", browser.driver.findElement(By.cssSelector("tollgate-account")), true);
    }

    @Test
    void aPackBoughtShowsItsCreditsAndAConsumptionFromOutsideShowsWithinASecond() {
        String account = "acct-web-pack";
        openDemo(account);
        awaitText("tollgate-account", ".balance", "0");
        button("tollgate-pricing", "Buy 500 credits").click();
        onCheckout("pay");
        sessionIdInUrl();
        awaitText("tollgate-checkout-return", "[part=result]", "your balance is 500 credits");
        awaitText("tollgate-account", ".balance", "500");
        assertEquals(500L, balance(account));
        browser.until(WAIT, "the live stream is connected",
                () -> browser.driver.findElement(By.cssSelector("tollgate-account")).getAttribute("live") != null);

        // The product's backend spends credits: the page follows through the live stream.
        given().auth().oauth2(TestTokens.user(account)).contentType("application/json")
                .body("{\"amount\":120,\"idempotency_key\":\"web-sse-1\"}").when().post("/v1/billing/credits/consume")
                .then().statusCode(200);
        long consumed = System.nanoTime();
        browser.until(Duration.ofSeconds(1), "the balance on the page shows 380 within 1 s",
                () -> "380".equals(browser.inside("tollgate-account", ".balance").getText().trim()));
        long millis = (System.nanoTime() - consumed) / 1_000_000;
        assertTrue(millis <= 1000, "took " + millis + " ms");
        assertEquals(380L, balance(account));
        browser.screenshot("billing-live-balance", browser.driver.findElement(By.cssSelector("tollgate-account")),
                false);
    }

    @Test
    void aDeclinedPaymentShowsTheFailure() {
        String account = "acct-web-declined";
        openDemo(account);
        button("tollgate-pricing", "Buy 500 credits").click();
        onCheckout("decline");
        assertEquals("Your card was declined.", browser.driver.findElement(By.id("failure")).getText().trim());
        browser.screenshot("billing-declined-checkout", null, false);
        browser.driver.findElement(By.id("back")).click();

        awaitText("tollgate-checkout-return", "[part=result]", "Checkout was canceled");
        awaitText("tollgate-account", ".payments", "Your card was declined.");
        assertEquals("requires_payment_method", db.value("select status from stripe_payment_intent"
                + " where customer_id = $1", customerOf(account)));
        assertEquals(0L, balance(account));
        awaitText("tollgate-account", ".balance", "0");
        browser.screenshot("billing-declined", null, false);
    }

    @Test
    void aUserSeesOnlyTheirOwnAccount() {
        String owner = "acct-web-owner";
        String other = "acct-web-other";
        openDemo(owner);
        button("tollgate-pricing", "Buy 500 credits").click();
        onCheckout("pay");
        String session = sessionIdInUrl();
        awaitText("tollgate-account", ".balance", "500");

        // Another user opens the owner's return link: the session is not theirs, and their panel shows their own state.
        browser.open(SimulatorProfile.ORIGIN + "/billing/demo?account=" + other + "&session_id=" + session);
        awaitText("tollgate-checkout-return", "[role=alert]", "No checkout session " + session + " for this account.");
        awaitText("tollgate-account", ".balance", "0");
        assertEquals("none", text("tollgate-account", ".status"));
        assertFalse(browser.element("tollgate-account", ".payments").getText().contains("500"));
        assertEquals(500L, balance(owner));
        assertEquals(0L, balance(other));
        assertEquals(0L, db.count("select count(*) from account where id = $1 and stripe_customer_id is not null",
                other));
        browser.screenshot("billing-other-account", null, false);
    }

    @Test
    void aPackCanBeBoughtWithTheKeyboardAlone() {
        String account = "acct-web-keyboard";
        openDemo(account);
        browser.element("tollgate-pricing", "article.pack");
        Actions keys = new Actions(browser.driver);
        String target = "Buy 5,000 credits";
        for (int i = 0; i < 60 && !browser.focused().equals(target); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertEquals(target, browser.focused());
        keys.sendKeys(Keys.ENTER).perform();
        browser.until(WAIT, "the simulated Checkout page", () -> browser.driver.getCurrentUrl().contains(
                "/dev/stripe/checkout/"));
        for (int i = 0; i < 20 && !browser.focused().startsWith("Pay "); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertEquals("Pay 40.00 USD", browser.focused());
        keys.sendKeys(Keys.ENTER).perform();
        sessionIdInUrl();
        awaitText("tollgate-checkout-return", "[part=result]", "your balance is 5000 credits");
        awaitText("tollgate-account", ".balance", "5000");
        assertEquals(5000L, balance(account));
        List<?> ledger = db.rows("select kind from credit_ledger where account_id = $1", account);
        assertEquals(1, ledger.size());
        browser.screenshot("billing-keyboard", null, false);
    }
}
