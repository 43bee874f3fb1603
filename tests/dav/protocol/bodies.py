"""The request bodies real clients send, as captured from them: iOS/macOS (dataaccessd,
AddressBookCore) and DAVx5 (dav4jvm), plus vdirsyncer's. Kept verbatim so the tests ask what
the devices ask."""

# --- iOS / macOS -------------------------------------------------------------------------------

IOS_WELL_KNOWN = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <A:current-user-principal/>
    <A:principal-URL/>
    <A:resourcetype/>
  </A:prop>
</A:propfind>"""

IOS_PRINCIPAL = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <B:addressbook-home-set xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <B:directory-gateway xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <A:displayname/>
    <C:email-address-set xmlns:C="http://calendarserver.org/ns/"/>
    <A:principal-collection-set/>
    <A:principal-URL/>
    <A:resource-id/>
    <A:supported-report-set/>
  </A:prop>
</A:propfind>"""

IOS_CALDAV_PRINCIPAL = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <B:calendar-home-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <B:calendar-user-address-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <A:current-user-principal/>
    <A:displayname/>
    <C:dropbox-home-URL xmlns:C="http://calendarserver.org/ns/"/>
    <C:email-address-set xmlns:C="http://calendarserver.org/ns/"/>
    <C:notification-URL xmlns:C="http://calendarserver.org/ns/"/>
    <A:principal-collection-set/>
    <A:principal-URL/>
    <A:resource-id/>
    <B:schedule-inbox-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <B:schedule-outbox-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
    <A:supported-report-set/>
  </A:prop>
</A:propfind>"""

IOS_HOME_SET = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <A:add-member/>
    <E:bulk-requests xmlns:E="http://me.com/_namespace/"/>
    <A:current-user-privilege-set/>
    <A:displayname/>
    <D:max-image-size xmlns:D="urn:ietf:params:xml:ns:carddav"/>
    <D:max-resource-size xmlns:D="urn:ietf:params:xml:ns:carddav"/>
    <C:me-card xmlns:C="http://calendarserver.org/ns/"/>
    <A:owner/>
    <C:push-transports xmlns:C="http://calendarserver.org/ns/"/>
    <C:pushkey xmlns:C="http://calendarserver.org/ns/"/>
    <A:quota-available-bytes/>
    <A:quota-used-bytes/>
    <A:resource-id/>
    <A:resourcetype/>
    <A:supported-report-set/>
    <A:sync-token/>
  </A:prop>
</A:propfind>"""

IOS_ADDRESSBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <C:getctag xmlns:C="http://calendarserver.org/ns/"/>
    <A:sync-token/>
  </A:prop>
</A:propfind>"""


def ios_sync(token: str = "") -> str:
    token_element = f"<A:sync-token>{token}</A:sync-token>" if token else "<A:sync-token/>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<A:sync-collection xmlns:A="DAV:">
  {token_element}
  <A:sync-level>1</A:sync-level>
  <A:prop>
    <A:getetag/>
  </A:prop>
</A:sync-collection>"""


def ios_multiget(*hrefs: str) -> str:
    refs = "".join(f"<A:href>{href}</A:href>" for href in hrefs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<B:addressbook-multiget xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:carddav">
  <A:prop>
    <A:getetag/>
    <B:address-data/>
  </A:prop>
  {refs}
</B:addressbook-multiget>"""


IOS_CALENDAR_QUERY = """<?xml version="1.0" encoding="UTF-8"?>
<x0:calendar-query xmlns:x0="urn:ietf:params:xml:ns:caldav" xmlns:x1="DAV:">
  <x1:prop>
    <x1:getetag/>
    <x1:resourcetype/>
  </x1:prop>
  <x0:filter>
    <x0:comp-filter name="VCALENDAR">
      <x0:comp-filter name="VEVENT">
        <x0:time-range start="20261101T000000Z"/>
      </x0:comp-filter>
    </x0:comp-filter>
  </x0:filter>
</x0:calendar-query>"""


def ios_calendar_multiget(*hrefs: str) -> str:
    refs = "".join(f"<x1:href>{href}</x1:href>" for href in hrefs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<x0:calendar-multiget xmlns:x0="urn:ietf:params:xml:ns:caldav" xmlns:x1="DAV:">
  <x1:prop>
    <x1:getetag/>
    <x0:calendar-data/>
  </x1:prop>
  {refs}
</x0:calendar-multiget>"""


# --- DAVx5 (dav4jvm) ---------------------------------------------------------------------------

DAVX5_WELL_KNOWN = (
    "<?xml version='1.0' encoding='UTF-8' ?>"
    '<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav">'
    "<prop><CARD:addressbook-home-set /><current-user-principal /></prop></propfind>"
)

DAVX5_PRINCIPAL = (
    "<?xml version='1.0' encoding='UTF-8' ?>"
    '<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav" '
    'xmlns:CAL="urn:ietf:params:xml:ns:caldav">'
    "<prop><CARD:addressbook-home-set /><CAL:calendar-home-set /><displayname />"
    "<resourcetype /></prop></propfind>"
)

DAVX5_HOME_SET = (
    "<?xml version='1.0' encoding='UTF-8' ?>"
    '<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav" '
    'xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:ICAL="http://apple.com/ns/ical/">'
    "<prop><resourcetype /><displayname /><owner /><current-user-privilege-set />"
    "<CARD:addressbook-description /><CARD:supported-address-data />"
    "<CAL:calendar-description /><ICAL:calendar-color />"
    "<CAL:supported-calendar-component-set /><source /></prop></propfind>"
)

DAVX5_COLLECTION = (
    "<?xml version='1.0' encoding='UTF-8' ?>"
    '<propfind xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav" '
    'xmlns:CS="http://calendarserver.org/ns/">'
    "<prop><CARD:supported-address-data /><supported-report-set /><CS:getctag />"
    "<sync-token /></prop></propfind>"
)


def davx5_sync(token: str = "") -> str:
    token_element = f"<sync-token>{token}</sync-token>" if token else "<sync-token />"
    return (
        "<?xml version='1.0' encoding='UTF-8' ?>"
        f'<sync-collection xmlns="DAV:">{token_element}<sync-level>1</sync-level>'
        "<prop><getetag /></prop></sync-collection>"
    )


def davx5_multiget(*hrefs: str, vcard4: bool = True) -> str:
    version = ' content-type="text/vcard" version="4.0"' if vcard4 else ""
    refs = "".join(f"<href>{href}</href>" for href in hrefs)
    return (
        "<?xml version='1.0' encoding='UTF-8' ?>"
        '<CARD:addressbook-multiget xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav">'
        f"<prop><getcontenttype /><getetag /><CARD:address-data{version} /></prop>"
        f"{refs}</CARD:addressbook-multiget>"
    )


def davx5_query(*, name_contains: str) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8' ?>"
        '<CARD:addressbook-query xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav">'
        '<prop><getetag /><CARD:address-data content-type="text/vcard" version="4.0" /></prop>'
        '<CARD:filter><CARD:prop-filter name="FN">'
        f'<CARD:text-match collation="i;unicode-casemap" match-type="contains">{name_contains}'
        "</CARD:text-match></CARD:prop-filter></CARD:filter></CARD:addressbook-query>"
    )


# --- vdirsyncer --------------------------------------------------------------------------------

VDIRSYNCER_LIST = (
    '<?xml version="1.0" encoding="utf-8" ?>'
    '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontenttype/>'
    "<D:getetag/></D:prop></D:propfind>"
)
