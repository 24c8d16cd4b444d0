package dev.govcon.server.accounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.govcon.proto.v1.Contact;
import dev.govcon.proto.v1.Profile;
import dev.govcon.proto.v1.UpdateProfileRequest;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.tenancy.MemberMapper;
import dev.govcon.server.tenancy.MemberRow;
import dev.govcon.server.tenancy.TenantMapper;
import dev.govcon.server.tenancy.TenantRow;

/** The organisation's profile and who to contact about it. */
final class ProfileLogic {
    private static final Set<String> CLEARABLE =
            Set.of("display_name", "billing_email", "security_email", "website", "country",
                   "incident_auto_resolve_after");
    private static final Duration MIN_AUTO_RESOLVE = Duration.ofMinutes(1);
    private static final Duration MAX_AUTO_RESOLVE = Duration.ofDays(90);

    private final Database database;

    ProfileLogic(Database database) {
        this.database = database;
    }

    Profile get(Principal caller) {
        return database.read(s -> AccountProtos.profile(s.getMapper(TenantMapper.class).find(caller.tenantId())));
    }

    Profile update(Principal caller, UpdateProfileRequest req) {
        for (String f : req.getClearFieldsList()) {
            if (!CLEARABLE.contains(f)) {
                throw Errors.invalid("clear_fields", "'" + f + "' cannot be cleared; clearable: " + CLEARABLE);
            }
        }
        String displayName = Validate.optional("display_name", req.getDisplayName(), Validate.MAX_NAME);
        String timeZone = Validate.timeZone("time_zone", req.getTimeZone());
        String billing = Validate.email("billing_email", req.getBillingEmail(), false);
        String security = Validate.email("security_email", req.getSecurityEmail(), false);
        String website = Validate.optional("website", req.getWebsite(), 500);
        if (!website.isEmpty() && !website.matches("^https?://\\S+$")) {
            throw Errors.invalid("website", "must be an http:// or https:// address");
        }
        String country = Validate.country("country", req.getCountry());
        Long autoResolve = req.hasIncidentAutoResolveAfter() ? autoResolveSeconds(req) : null;
        return database.inTransaction(s -> {
            TenantMapper tenants = s.getMapper(TenantMapper.class);
            TenantRow before = tenants.lock(caller.tenantId());
            List<String> clear = req.getClearFieldsList();
            TenantRow after = new TenantRow(before.tenantId(), before.name(),
                    pick(displayName, before.displayName(), clear.contains("display_name")),
                    timeZone.isEmpty() ? before.timeZone() : timeZone,
                    pick(billing, before.billingEmail(), clear.contains("billing_email")),
                    pick(security, before.securityEmail(), clear.contains("security_email")),
                    pick(website, before.website(), clear.contains("website")),
                    pick(country, before.country(), clear.contains("country")),
                    before.planId(), before.isDemo(), before.createdAt(), before.updatedAt(),
                    clear.contains("incident_auto_resolve_after") ? null
                            : autoResolve != null ? autoResolve : before.incidentAutoResolveSeconds());
            tenants.updateProfile(after);
            Profile updated = AccountProtos.profile(tenants.find(caller.tenantId()));
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "profile.updated", "tenant",
                               caller.tenantId().toString(), AccountProtos.profile(before), updated);
            return updated;
        });
    }

    private static long autoResolveSeconds(UpdateProfileRequest req) {
        String field = "incident_auto_resolve_after";
        if (req.getClearFieldsList().contains(field)) {
            throw Errors.invalid(field, "is both set and listed in clear_fields");
        }
        com.google.protobuf.Duration d = req.getIncidentAutoResolveAfter();
        if (d.getNanos() != 0 || d.getSeconds() < MIN_AUTO_RESOLVE.toSeconds()
            || d.getSeconds() > MAX_AUTO_RESOLVE.toSeconds()) {
            throw Errors.invalid(field, "must be whole seconds between " + MIN_AUTO_RESOLVE.toSeconds() + " and "
                                        + MAX_AUTO_RESOLVE.toSeconds());
        }
        return d.getSeconds();
    }

    private static String pick(String given, String current, boolean clear) {
        if (clear) {
            return "";
        }
        return given.isEmpty() ? current : given;
    }

    List<Contact> contacts(Principal caller) {
        return database.read(s -> {
            List<Contact> contacts = new ArrayList<>();
            for (MemberRow m : s.getMapper(MemberMapper.class)
                    .listWithRoles(caller.tenantId(), List.of("OWNER", "ADMIN"))) {
                contacts.add(Contact.newBuilder()
                        .setKind(m.role().equals("OWNER") ? Contact.Kind.CONTACT_OWNER : Contact.Kind.CONTACT_ADMIN)
                        .setEmail(m.email()).setDisplayName(m.displayName())
                        .setUserId(m.userId().toString()).build());
            }
            TenantRow t = s.getMapper(TenantMapper.class).find(caller.tenantId());
            if (!t.billingEmail().isEmpty()) {
                contacts.add(Contact.newBuilder().setKind(Contact.Kind.CONTACT_BILLING)
                        .setEmail(t.billingEmail()).build());
            }
            if (!t.securityEmail().isEmpty()) {
                contacts.add(Contact.newBuilder().setKind(Contact.Kind.CONTACT_SECURITY)
                        .setEmail(t.securityEmail()).build());
            }
            return contacts;
        });
    }
}
