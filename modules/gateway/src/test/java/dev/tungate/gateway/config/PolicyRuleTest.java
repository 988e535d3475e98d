package dev.tungate.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.config.PolicyRule.Action;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("policy rules")
class PolicyRuleTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    @DisplayName("prefix match on whole and partial bytes, host bits cleared, optional port")
    void matches() throws Exception {
        PolicyRule r = PolicyRule.parse("198.18.7.9/15:443 reject");
        assertEquals("198.18.0.0/15:443 reject", r.toString());
        assertTrue(r.matches(ip("198.19.255.1"), 443));
        assertFalse(r.matches(ip("198.20.0.1"), 443));
        assertFalse(r.matches(ip("198.18.0.1"), 80));
        assertFalse(r.matches(ip("::1"), 443));
        PolicyRule v6 = PolicyRule.parse("[fd00::]/8 blackhole");
        assertTrue(v6.matches(ip("fd12::1"), 1));
        assertFalse(v6.matches(ip("fe80::1"), 1));
        assertTrue(PolicyRule.parse("0.0.0.0/0 direct").matches(ip("1.2.3.4"), 9));
        assertEquals("[::]/0 direct", PolicyRule.parse("[::]/0 direct").toString());
        assertEquals("[fd00:0:0:1::]/64:53 reject", PolicyRule.parse("[fd00:0:0:1::5]/64:53 reject").toString());
    }

    @Test
    @DisplayName("the first matching rule decides; no match goes direct")
    void firstMatchWins() throws Exception {
        List<PolicyRule> rules = List.of(PolicyRule.parse("10.0.0.0/8:53 direct"), PolicyRule.parse("10.0.0.0/8 blackhole"));
        assertEquals(Action.DIRECT, PolicyRule.decide(rules, ip("10.1.1.1"), 53));
        assertEquals(Action.BLACKHOLE, PolicyRule.decide(rules, ip("10.1.1.1"), 80));
        assertEquals(Action.DIRECT, PolicyRule.decide(rules, ip("192.0.2.1"), 80));
    }
}
