"""The fictional Borough of Eastmere: its agencies and the staff who sign in to the demo.

Every name here is invented. Emails use the reserved `.example` domain, so no message can reach anyone.
"""
from __future__ import annotations

from dataclasses import dataclass

from coordination.domain.actors import AgencyType, Role

DOMAIN = "eastmere.example"


@dataclass(frozen=True)
class DemoAgency:
    name: str
    type: AgencyType
    # Share of the demo families this team holds (case-holding agencies only).
    caseload_weight: int = 0


@dataclass(frozen=True)
class DemoStaff:
    email: str
    name: str
    agency: str
    role: Role


NORTH = "Eastmere Early Help Hub (North)"
SOUTH = "Eastmere Early Help Hub (South)"
CENTRAL = "Eastmere Family Help Team (Central)"
FRONT_DOOR = "Eastmere Children's Social Care: Front Door"
CIN = "Eastmere Children's Social Care: Children in Need Team"

AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(NORTH, AgencyType.COUNCIL_EARLY_HELP, 40),
    DemoAgency(SOUTH, AgencyType.COUNCIL_EARLY_HELP, 25),
    DemoAgency(CENTRAL, AgencyType.COUNCIL_EARLY_HELP, 15),
    DemoAgency(FRONT_DOOR, AgencyType.SOCIAL_CARE, 8),
    DemoAgency(CIN, AgencyType.SOCIAL_CARE, 12),
    DemoAgency("Riverside Primary School (fictional)", AgencyType.SCHOOL),
    DemoAgency("Eastmere Academy (fictional)", AgencyType.SCHOOL),
    DemoAgency("Larkfield Infant and Nursery School (fictional)", AgencyType.SCHOOL),
    DemoAgency("Eastmere Health Visiting Service (fictional)", AgencyType.HEALTH),
    DemoAgency("Eastmere School Nursing Service (fictional)", AgencyType.HEALTH),
    DemoAgency("Marsh Lane Surgery (fictional)", AgencyType.HEALTH),
    DemoAgency("Eastmere CAMHS (fictional)", AgencyType.MENTAL_HEALTH),
    DemoAgency("Eastmere Mental Health Support Team in Schools (fictional)", AgencyType.MENTAL_HEALTH),
    DemoAgency("Eastmere Neighbourhood Policing Team (fictional)", AgencyType.POLICE),
    DemoAgency("Eastmere Police Child Protection Unit (fictional)", AgencyType.POLICE),
    DemoAgency("Eastmere Young Carers (fictional charity)", AgencyType.VOLUNTARY),
    DemoAgency("Harbour Lane Domestic Abuse Service (fictional charity)", AgencyType.VOLUNTARY),
    DemoAgency("Eastmere Community Food Bank (fictional charity)", AgencyType.VOLUNTARY),
    DemoAgency("Eastmere SEND Service (fictional)", AgencyType.SEND_SERVICE),
    DemoAgency("Eastmere SEND Information, Advice and Support (fictional)", AgencyType.SEND_SERVICE),
)

CASE_HOLDING = tuple(a for a in AGENCIES if a.caseload_weight)

# Contact routes an admin has recorded (the admin console's agencies page): what "is this child known" gives.
CONTACTS = {
    NORTH: f"north.hub@{DOMAIN}",
    SOUTH: f"south.hub@{DOMAIN}",
    CENTRAL: f"central.familyhelp@{DOMAIN}",
    FRONT_DOOR: "01632 960 100 (Front Door duty line, fictional)",
    CIN: f"cin.team@{DOMAIN}",
}

# Schools by DfE-style establishment number (used in the fictional UPNs).
SCHOOLS = {
    "Riverside Primary School": "2041",
    "Larkfield Infant and Nursery School": "2107",
    "Eastmere Academy": "4012",
}
# 999 is not a real local authority number: every demo UPN is visibly fictional.
UPN_LA_CODE = "999"


def _staff(email: str, name: str, agency: str, role: Role) -> DemoStaff:
    return DemoStaff(f"{email}@{DOMAIN}", name, agency, role)


STAFF: tuple[DemoStaff, ...] = (
    # The accounts the README names: sign in as these to try the service.
    _staff("practitioner", "Priya Fictionalsworth", NORTH, Role.PRACTITIONER),
    _staff("manager", "Morgan Quillfeather", NORTH, Role.MANAGER),
    _staff("admin", "Ade Thistlewick", NORTH, Role.ADMIN),
    _staff("practitioner2", "Sam Marrowmoor", NORTH, Role.PRACTITIONER),
    _staff("south.practitioner", "Jo Fernhallow", SOUTH, Role.PRACTITIONER),
    _staff("south.practitioner2", "Kit Cobblewick", SOUTH, Role.PRACTITIONER),
    _staff("south.manager", "Robin Puddingstone", SOUTH, Role.MANAGER),
    _staff("south.admin", "Lee Larkwhistle", SOUTH, Role.ADMIN),
    _staff("central.practitioner", "Dani Brambleworth", CENTRAL, Role.PRACTITIONER),
    _staff("central.manager", "Chris Kettleburn", CENTRAL, Role.MANAGER),
    _staff("central.admin", "Bea Mossbottle", CENTRAL, Role.ADMIN),
    _staff("socialworker", "Tomi Wexleymere", FRONT_DOOR, Role.PRACTITIONER),
    _staff("socialcare.manager", "Nat Hazeldrift", FRONT_DOOR, Role.MANAGER),
    _staff("socialcare.admin", "Ari Pebblethwaite", FRONT_DOOR, Role.ADMIN),
    _staff("cin.socialworker", "Rae Tumbleford", CIN, Role.PRACTITIONER),
    _staff("cin.socialworker2", "Jules Copperkettle", CIN, Role.PRACTITIONER),
    _staff("cin.manager", "Remi Moonpenny", CIN, Role.MANAGER),
    _staff("cin.admin", "Frankie Saffronwick", CIN, Role.ADMIN),
    # A partner: the school's special educational needs co-ordinator, who sees only what families consented to.
    _staff("riverside.senco", "Ola Pennywhistle", "Riverside Primary School (fictional)", Role.PRACTITIONER),
    # A school's member of staff who leads a family's plan (a lead practitioner may work for any agency).
    _staff("school.lead", "Alex Wrenfold", "Riverside Primary School (fictional)", Role.PRACTITIONER),
    # The SEND team's EHC co-ordinator: decides EHC needs assessment requests and records their SEN2 details.
    _staff("send.coordinator", "Pip Larchmarsh", "Eastmere SEND Service (fictional)", Role.PRACTITIONER),
)

# Staff who have left: deactivated accounts, listed in the admin console, unable to sign in.
LEAVERS: tuple[DemoStaff, ...] = (
    _staff("leaver", "Sasha Oldbridge", NORTH, Role.PRACTITIONER),
)

# Invented surnames for the families: none is meant to be anyone's real name.
FAMILY_SURNAMES = (
    "Fictionalsworth", "Quillbury", "Thistledrum", "Marrowfield", "Fernwhistle", "Cobblestead", "Puddingford",
    "Larkspindle", "Bramblecote", "Kettlewhite", "Mossbury-Vane", "Wexcombe", "Hazelwick", "Pebbleridge",
    "Dandelyon", "Inkwright", "Tumblebrook", "Copperwhistle", "Ravensmoor", "Sparrowdene", "Moonwhistle",
    "Hollyhocke", "Quincemoor", "Bumbleforth", "Teaselgrove", "Crumbleby", "Nimblecombe", "Pipistrelle",
    "Marchpane", "Jollyford", "Glimmerstone", "Wobbleton", "Pennywhistle", "Starlingford", "Tanglewood-Fict",
)

GIVEN_FEMALE = (
    "Kerry", "Shanice", "Fatima", "Gemma", "Joanne", "Stacey", "Parveen", "Natalia", "Leanne", "Rachel",
    "Sadia", "Lisa", "Monika", "Ama", "Chantelle", "Bethany", "Nkechi", "Agnieszka", "Hayley", "Yasmin",
)
GIVEN_MALE = (
    "Dean", "Marek", "Lee", "Abdi", "Craig", "Jason", "Tunde", "Darren", "Wayne", "Carl",
    "Imran", "Scott", "Kwame", "Luke", "Piotr", "Ryan", "Jamal", "Gary", "Ashley", "Callum",
)
GIVEN_CHILD = (
    "Amara", "Tyler", "Zainab", "Oliver", "Maja", "Kacper", "Ayaan", "Freya", "Leon", "Precious", "Ruby",
    "Mohammed", "Chloe", "Kai", "Isla", "Reuben", "Hana", "Tomasz", "Nia", "Ellis", "Sienna", "Dylan", "Aisha",
    "Harvey", "Lily", "Yusuf", "Poppy", "Jayden", "Esme", "Femi", "Grace", "Ibrahim", "Maisie", "Alfie",
    "Niamh", "Riley", "Zara", "Logan", "Amelia", "Kofi", "Evie", "Mason", "Layla", "Theo", "Ivy",
)


ROLE_WORDS = {Role.PRACTITIONER: "practitioner", Role.MANAGER: "manager", Role.ADMIN: "admin"}


def roll_call() -> list[str]:
    """One line per demo account, by agency: what `demo seed` prints so every role can be tried."""
    lines = []
    for agency in dict.fromkeys(s.agency for s in STAFF):
        people = ", ".join(f"{s.email} ({ROLE_WORDS.get(s.role, s.role.value)})" for s in STAFF if s.agency == agency)
        lines.append(f"  {agency}: {people}")
    return lines
