"""Fictional family stories for the demo borough, written as families tell them.

Each theme is a situation early help teams meet often (money, domestic abuse, anxiety, SEND, caring,
grief, housing, a new baby, exploitation, recovery, behaviour, a new arrival). A family gets one theme and
the text is filled in with its own invented names, ages and school, so thirty families read differently.
Nothing here describes a real family.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Theme:
    key: str
    focus_ages: tuple[int, int]          # the child the story is mostly about
    story: tuple[str, ...]
    worries: str
    health: str
    plan: tuple[tuple[str, str, str, str], ...]   # goal, action, who, by when
    helpers: tuple[str, ...]                      # agencies in the team around the family
    safety: str | None = None
    voice: tuple[str, ...] = field(default_factory=tuple)   # the focus child, aged 8+
    mother: bool = False        # the story is told by the children's mother (e.g. postnatal depression)
    couple: bool = False        # the story mentions a partner at home
    min_children: int = 1


THEMES: tuple[Theme, ...] = (
    Theme(
        "money", (4, 15),
        (
            "I'm {p1}. {household_sentence} Up until March I worked nights at the distribution centre on the "
            "ring road, and it was hard but it paid the rent. Then they brought in the new agency contracts and "
            "my hours went from forty to nothing over about six weeks. I didn't tell anyone at first because I "
            "kept thinking the next week would be better. By the time I applied for Universal Credit we were "
            "already two months behind on the rent and the electric was on the emergency credit most days.",
            "The children notice more than you think. {focus} started asking if we were going to lose the house, "
            "because the housing association letters come in brown envelopes and {focus} can read now. "
            "I stopped answering the door. I was skipping meals so they could have packed lunches and I'm not "
            "proud of it but I shouted a lot in those weeks, mostly about small things like lights left on. "
            "It was {school} who asked if we were alright, because {focus} had been taking food home from "
            "breakfast club in a coat pocket. I felt ashamed at first but I'm glad they asked.",
        ),
        "We're worried about the rent arrears (about £1,400 now) and the letter saying the housing association "
        "might go to court. The prepayment meter runs out most weekends. {focus} has been worrying about money "
        "and not sleeping well, and has had a few stomach aches before school. I'm worried that I'm short with "
        "the children when I'm stressed. School is worried that {focus} is tired and hungry in the mornings.",
        "Everyone is physically well. I've had bad headaches and I'm not sleeping much; the GP has offered "
        "me an appointment to talk about my mood and I've said yes. {focus} is up to date with checks.",
        (
            ("Stop the rent arrears growing and keep our home", "Apply for a Discretionary Housing Payment and "
             "agree a repayment plan with the housing association", "{p1} with {practitioner}", "end of next month"),
            ("Food in the cupboards every week", "Food bank vouchers while the first Universal Credit payment "
             "comes through; check free school meals are in place", "{practitioner} and {school}", "this week"),
            ("Get back into work that fits round school", "Meet the work coach about a job with day hours",
             "{p1}", "within 6 weeks"),
        ),
        ("Eastmere Community Food Bank (fictional charity)", "Marsh Lane Surgery (fictional)"),
        None,
        (
            "I don't want to move house because my friends are on our road. I heard {p1_call} on the phone "
            "saying court and I didn't ask what it meant.",
            "I like breakfast club because you get toast and you can play Uno before the bell.",
        ),
    ),
    Theme(
        "domestic_abuse", (3, 14),
        (
            "My name is {p1} and I'm telling this once because I have told it so many times already: to the "
            "police, to the refuge, to the housing office, to two different people at the hospital. I was with "
            "the children's father for nine years. It wasn't always bad. It got worse after he lost his licence "
            "and started drinking in the daytime. He checked my phone, he took my bank card, and he told me "
            "nobody would believe me because I'd been on antidepressants. Last winter he pushed me into the "
            "kitchen door while {focus} was in the room.",
            "We went to the refuge in February with one bag each. Now we have a two-bedroom flat in the south "
            "of the borough, which is small but it's ours and the door locks. There's a non-molestation order "
            "until next year. The children see their dad at a contact centre once a fortnight and "
            "{focus} comes back from those very quiet. {kids} have moved schools and are starting again, "
            "which is a lot. I want them to feel safe and I want to stop jumping every time my phone goes.",
        ),
        "We're worried that he will find out where we live; he has turned up at the old school once. "
        "{focus} has had nightmares and wets the bed sometimes since we left, and gets angry when things change "
        "without warning. I'm worried about money because I've never managed the bills on my own before. "
        "School is worried that {focus} doesn't settle after weekends when there has been contact.",
        "I'm seeing my GP and I'm back on medication, which helps. {focus} has had a check with the school "
        "nurse about the bedwetting. Everyone else is well.",
        (
            ("Feel safe at home", "Check the safety plan together; school knows who can and cannot collect the "
             "children; police marker on the address", "{p1}, {practitioner} and the school", "this week"),
            ("Help {focus} with the big feelings", "Sessions with the school's emotional literacy support "
             "assistant; talk to the contact centre about how handovers go", "{school} and {practitioner}",
             "start within 4 weeks"),
            ("Manage money on my own", "Open my own bank account and set up the bills", "{p1} with support "
             "from the domestic abuse service", "within 6 weeks"),
        ),
        ("Harbour Lane Domestic Abuse Service (fictional charity)", "Eastmere Police Child Protection Unit "
         "(fictional)"),
        "There is a non-molestation order. The children's father has not come to the new address. If he "
        "does, {p1} will call 999 and the police have a marker on the flat. Contact is supervised at the "
        "contact centre and reviewed by the court in the spring.",
        (
            "I don't like going to see Dad at the centre because it smells weird and he asks me where we live. "
            "I don't tell him.",
            "At the new house I can lock my door and nobody shouts. I want to stay here.",
        ),
    ),
    Theme(
        "anxiety", (9, 16),
        (
            "I'm {p1}. {household_sentence} {focus} is {focus_age}. Until Year 6 school was fine; "
            "{focus} had friends, did football, was a bit shy but OK. Something changed after the move to "
            "{school}. It started with tummy aches on Monday mornings, then it was every morning. By October "
            "{focus} was in school about half the time and then hardly at all. Now most days {focus} stays in "
            "their bedroom with the curtains shut and says the thought of the corridor makes their chest go "
            "tight.",
            "We've tried everything we can think of: taking away the phone, bribing, driving right up to the "
            "door, letting {focus} stay home. The school sent attendance letters, which made it worse, and "
            "I was worried about being fined. I had to go down to part-time at work. The GP referred to CAMHS "
            "in the summer and we had a letter saying the wait could be up to a year. In the meantime we feel "
            "like we're on our own and getting it wrong.",
        ),
        "We're worried that {focus} is getting further behind and more cut off from friends every week. "
        "{focus} has said a few times 'what's the point'. I'm worried about my job. School is worried about "
        "attendance (42% this term) and that {focus} is isolated. Nobody has said clearly what the plan is.",
        "{focus} has panic attacks, mostly in the mornings, and is sleeping very late. Eating is OK but "
        "skips breakfast. There has been no self-harm that we know of; we have asked and {focus} said no. "
        "The GP referral to CAMHS is open.",
        (
            ("{focus} back in learning, a little at a time", "A reduced timetable starting with one lesson a day "
             "in the library; a named adult to meet {focus} at the side gate", "{school} and {focus}",
             "start after half term"),
            ("Help for the anxiety while we wait for CAMHS", "Referral to the Mental Health Support Team in "
             "Schools for guided self-help", "{practitioner}", "within 2 weeks"),
            ("Keep {p1}'s job", "Letter from the team around the family for {p1}'s employer about flexible "
             "hours", "{practitioner}", "this month"),
        ),
        ("Eastmere Mental Health Support Team in Schools (fictional)", "Eastmere CAMHS (fictional)"),
        None,
        (
            "It's not that I don't want to go. It's like my body says no before I get to the gate. When people "
            "say just try harder it makes it worse.",
            "I'd go in if I could start in the library and not have to walk through the main corridor when "
            "it's busy. And if I didn't get asked where I've been.",
            "Through an advocate: {focus} wants the adults to stop talking about attendance percentages in "
            "front of them and to talk about what would help instead.",
        ),
    ),
    Theme(
        "send", (3, 9),
        (
            "I'm {p1}. {household_sentence} {focus} is {focus_age} and is the funniest, most loving child, and "
            "also the hardest work I have ever done. {focus} didn't talk much until nearly three, lines up "
            "the toy cars in exactly the same order every morning and can't cope with loud places. If the "
            "routine changes (a different road to school, a supply teacher) we get a meltdown that can last "
            "an hour: screaming, hitting out, banging their head on the floor.",
            "The health visitor and nursery both said it might be autism and we were referred for an "
            "assessment eighteen months ago. We're still waiting. {school} are doing their best but "
            "{focus} has been sent home early four times this term and I can't keep leaving work. We "
            "asked about an EHC needs assessment and were told to wait for the diagnosis, but I have read "
            "that you don't need one. The other children get less of me than they should and "
            "I feel guilty about that all the time.",
        ),
        "We're worried {focus} isn't getting the right support at school and is being sent home instead. "
        "{focus} has hurt themself during meltdowns (bruises on the forehead). I'm exhausted and have "
        "very little help. The siblings are missing out. We don't know when the assessment will be.",
        "{focus} is a very fussy eater (about eight foods) and sleeps badly, often awake from 3am. Hearing "
        "has been checked and is fine. I have back pain from lifting {focus} during meltdowns.",
        (
            ("The right support at school", "Request an EHC needs assessment with SENDIASS helping us; school "
             "to put in a sensory break plan now", "{p1}, SENDIASS and {school}", "request sent within 2 weeks"),
            ("Know where we are on the waiting list", "Ask the neurodevelopmental service for the expected date",
             "{practitioner}", "this week"),
            ("Some time for {p1} and the other children", "Short breaks referral and the parent carer forum",
             "{practitioner}", "within 6 weeks"),
        ),
        ("Eastmere SEND Service (fictional)", "Eastmere SEND Information, Advice and Support (fictional)"),
        None,
        (
            "I like trains and the blue cup. School is loud. I want the quiet room.",
        ),
    ),
    Theme(
        "young_carer", (9, 16),
        (
            "I'm {p1}. I was diagnosed with multiple sclerosis four years ago and over the last year it has "
            "got worse. Some days I can manage; other days I can't get down the stairs. {household_sentence} "
            "{focus} is {focus_age} and has been doing far more than a child should: doing the shopping, making "
            "tea, helping me in the shower when it's a bad day, and sorting my tablets.",
            "I only realised how much when school rang about {focus} being late and falling asleep in lessons. "
            "{focus} never complains. I don't want social workers thinking I can't look after my children, "
            "which is why I didn't ask for help before. What I want is help for me, so that {focus} can just "
            "be a teenager again: see friends, do the drama club, not worry about me all day.",
        ),
        "We're worried that {focus} is carrying too much and is tired and behind at school. I'm worried about "
        "what happens on my bad days and if I have to go into hospital. We have no family nearby. "
        "There is no adult social care assessment yet.",
        "{p1} has relapsing MS with fatigue and mobility problems, under the neurology team. {focus} gets "
        "headaches and is tired. Everyone else is well.",
        (
            ("{focus} to have time to be a young person", "Young carers assessment and a place at the young "
             "carers group on Thursdays", "Eastmere Young Carers and {practitioner}", "within 4 weeks"),
            ("Care for {p1} that doesn't depend on {focus}", "Referral for an adult social care needs assessment "
             "and a carer's assessment", "{practitioner}", "this week"),
            ("A plan for bad days and hospital stays", "Write down who the children go to and who to ring",
             "{p1}, {focus} and {practitioner}", "next visit"),
        ),
        ("Eastmere Young Carers (fictional charity)", "Marsh Lane Surgery (fictional)"),
        None,
        (
            "I don't mind helping {p1_call}. I just wish I could go to drama club and not worry the whole "
            "time that something's happened.",
            "Sometimes I fall asleep in maths because I was up with {p1_call}. I don't want teachers to "
            "think I'm lazy.",
        ),
    ),
    Theme(
        "grief", (5, 15),
        (
            "I'm {p1}. {household_sentence} Last spring the children's grandad, my dad, died very suddenly. "
            "He lived two streets away and picked the children up from school every day, so it wasn't just "
            "losing him, it was losing how our whole week worked. I went back to work after two weeks "
            "because we needed the money, and I don't think I've stopped since.",
            "{focus} was closest to him. At first {focus} seemed fine, then from about September things "
            "changed: {focus} has been angry at school, was in a fight, and has been refusing to go to bed "
            "because they are frightened someone else will die in the night. I find it hard to talk about him "
            "without crying, so we don't really talk about him at all, and maybe that's the problem.",
        ),
        "We're worried about {focus}'s anger and the fight at school, and that {focus} is frightened at night. "
        "I'm worried I'm not coping myself. There's nobody to do the school pick-ups now.",
        "Everyone is physically well. {p1} is grieving and struggling to sleep. {focus} has trouble falling "
        "asleep and has been getting headaches.",
        (
            ("Help {focus} with losing Grandad", "Referral to a children's bereavement service; a memory box "
             "session at home", "{practitioner}", "within 4 weeks"),
            ("Calmer days at school", "A check-in with a trusted adult each morning; a time-out card",
             "{school}", "from next week"),
            ("Sort out school pick-ups", "After-school club place and help with the cost", "{p1} and "
             "{practitioner}", "within 2 weeks"),
        ),
        ("Marsh Lane Surgery (fictional)",),
        None,
        (
            "I miss Grandad because he always had Polos in his coat and he let me choose the way home.",
            "I get angry because people keep saying it gets easier and it doesn't.",
        ),
    ),
    Theme(
        "housing", (0, 10),
        (
            "I'm {p1}. {household_sentence} We've been in a one-bedroom flat above the takeaway on Station "
            "Road for three years. All of us sleep in the one room and I sleep on the sofa. There is black "
            "mould in the bedroom and the bathroom that comes back a week after I bleach it, and the windows "
            "run with water every morning. The landlord says it's because we dry washing inside, but where "
            "else can we dry it?",
            "{focus} has asthma and has been to A&E twice this winter. We're on the housing register but "
            "we've been told it could be years. I've started to feel like we're invisible. I can't invite "
            "anyone round, the children can't have friends over, and there's nowhere for homework. I work "
            "in a care home and I'm always tired. What I want most is a home that doesn't make my children ill.",
        ),
        "We're worried about {focus}'s chest and the hospital visits, and about the mould. There's no space "
        "for the children to sleep properly or do homework. The landlord has threatened a section 21 notice "
        "if we complain to the council again.",
        "{focus} has asthma with two A&E attendances this winter; inhalers from the GP. The others get a lot "
        "of coughs and colds. {p1} is well but very tired.",
        (
            ("A home that is safe for {focus}'s chest", "Environmental health inspection; letter from the GP "
             "to support the housing priority review", "{practitioner} and the GP", "within 4 weeks"),
            ("Fewer hospital visits", "Asthma review and a written asthma plan shared with school",
             "Marsh Lane Surgery and the school nurse", "next month"),
            ("Somewhere to do homework", "Homework club at the library twice a week", "{p1}", "from next week"),
        ),
        ("Marsh Lane Surgery (fictional)", "Eastmere School Nursing Service (fictional)"),
        None,
        (
            "I want my own bed and a place to put my Lego where it doesn't get knocked over.",
        ),
    ),
    Theme(
        "new_baby", (0, 0),
        (
            "I'm {p1}. {household_sentence} {focus} was born {focus_months} months ago, a bit early, and spent "
            "nine days in the neonatal unit. I thought that once we got home I'd feel like a mum, but mostly "
            "I feel flat and scared that I'm doing everything wrong. Some nights I sit in the kitchen and cry "
            "and I don't know why. I haven't said this to many people because I'm worried they'll think I "
            "can't look after the baby.",
            "Our older one is finding it hard too: they have started wetting again and hitting the baby's "
            "bouncer. My partner is working extra shifts to cover me being off, so I'm on my own most of the "
            "day. The health visitor noticed I wasn't myself at the eight-week check and asked if I'd like "
            "some extra support. I said yes, which was hard.",
        ),
        "We're worried about {p1}'s mood and feeling alone in the day. The older child is jealous and "
        "unsettled. Feeding has been hard and {focus} was slow to put on weight at first (now on the 9th "
        "centile and following it).",
        "{p1} has postnatal depression, seen by the GP and the perinatal mental health team; started "
        "medication. {focus} was born at 35 weeks, now feeding well and gaining weight. Immunisations are "
        "up to date.",
        (
            ("{p1} feeling more like herself", "Perinatal mental health appointments; a peer support group for "
             "new parents", "{p1} with the health visitor", "ongoing, review in 6 weeks"),
            ("Company in the day", "A place at the baby group at the family hub on Wednesdays", "{p1} and "
             "{practitioner}", "this week"),
            ("Help the older child adjust", "Two funded nursery mornings a week; a 'big sibling' book",
             "{practitioner}", "within 4 weeks"),
        ),
        ("Eastmere Health Visiting Service (fictional)", "Marsh Lane Surgery (fictional)"),
        None,
        (),
        mother=True, couple=True, min_children=2,
    ),
    Theme(
        "exploitation", (13, 15),
        (
            "I'm {p1}. {household_sentence} {focus} is {focus_age}. This year {focus} started staying out "
            "later and later, first till eleven, then not coming home at all on some Fridays. There's a new "
            "phone I didn't buy and new trainers. When I ask, {focus} says a mate lent them. {focus} has "
            "stopped seeing the friends from primary and now hangs round with older lads who wait in a car at "
            "the end of the road.",
            "Three weeks ago the police found {focus} in a town sixty miles away, at two in the morning, with "
            "no idea how to get home. {focus} wouldn't say how they got there. I'm frightened. I'm also angry, "
            "and we have had some terrible rows where we both said things we didn't mean. I don't want "
            "{focus} criminalised; I want someone to help get them out of whatever this is.",
        ),
        "We're worried that {focus} is being used by older people to carry or sell drugs. {focus} has been "
        "missing three times. There's been a knife mentioned in a message I saw. {focus}'s attendance has "
        "dropped and {focus} was excluded for five days. Rows at home are getting worse.",
        "{focus} has lost weight and sleeps in the day. We don't know about drug use; {focus} says only "
        "cannabis. {p1} has high blood pressure and is not sleeping.",
        (
            ("{focus} safe and home at night", "Return home interviews after every missing episode; a "
             "safety plan agreed with {focus}", "{practitioner} and the police", "after every episode"),
            ("Someone {focus} trusts to talk to", "Referral to the youth worker; a mentor through the "
             "youth service", "{practitioner}", "within 2 weeks"),
            ("Back in education", "Reintegration meeting after the exclusion; look at a college taster course",
             "{school} and {focus}", "next month"),
        ),
        ("Eastmere Neighbourhood Policing Team (fictional)", "Eastmere Police Child Protection Unit (fictional)"),
        "{focus} has been missing three times and was found out of area. There are worries about criminal "
        "exploitation (county lines). Police have been told; the multi-agency exploitation panel will "
        "discuss {focus} this month. If {focus} is missing, {p1} calls 101 (999 if in danger) after an hour.",
        (
            "I'm not stupid, I know what people think. I can handle myself. But I don't want {p1_call} to "
            "get hurt because of me.",
            "Through an advocate: {focus} says they would talk to someone who isn't police or school, and "
            "who doesn't just tell them off.",
        ),
    ),
    Theme(
        "recovery", (9, 15),
        (
            "I'm {p1}. I'm an alcoholic and I've been sober for eight months. {household_sentence} When I was "
            "drinking, the children didn't get what they needed from me. {focus} was the one who got "
            "themself to school and made toast for tea. Children's social care were involved two years ago "
            "and the case was closed when I went into treatment.",
            "I want to be honest in this because I want the help to be right. I go to meetings three times a "
            "week and I see the recovery worker. Things are better, but trust is slow. {focus} still checks "
            "the bins and watches me when I come in from the shop. I want to rebuild that, and I want help "
            "with the practical stuff I let slide: the doctor's appointments, the dentist, the forms.",
        ),
        "We're worried about relapse, especially around Christmas and anniversaries. {focus} is anxious and "
        "watchful and finds it hard to trust that things are different. The children missed health and "
        "dental checks while I was drinking.",
        "{p1} is in recovery, with the community drug and alcohol service; liver function being monitored. "
        "The children are overdue for dental checks. {focus} has been anxious and has had stomach aches.",
        (
            ("Stay sober", "Keep going to the recovery service and meetings; a relapse plan that names who "
             "looks after the children", "{p1}", "ongoing"),
            ("Rebuild trust with {focus}", "Family sessions with the young people's substance misuse service "
             "(support for children of parents who drink)", "{practitioner}", "within 4 weeks"),
            ("Catch up on health checks", "Dentist for all the children; GP check for {focus}'s stomach aches",
             "{p1}", "within 6 weeks"),
        ),
        ("Marsh Lane Surgery (fictional)",),
        "There is a relapse plan: if {p1} drinks, the children go to their aunt's and {p1} rings the recovery "
        "worker. Social care closed the previous case two years ago; the lead practitioner would step up to "
        "social care if there were signs of relapse with the children at risk.",
        (
            "I check the bins sometimes. I know I'm not supposed to. I just want to know.",
            "It's better now. We do tea together and {p1_call} comes to parents' evening.",
        ),
    ),
    Theme(
        "behaviour", (6, 12),
        (
            "I'm {p1}. {household_sentence} {focus} is {focus_age}. Since reception teachers have said "
            "{focus} can't sit still, shouts out, runs off. At home it's the same: bouncing off the walls, "
            "never finishes anything, loses everything, and then we get the huge explosions when I say no. "
            "I love {focus} to bits but some days I am completely worn out by teatime.",
            "This year {focus} has been excluded twice, once for throwing a chair and once for running out of "
            "school. The school has talked about a managed move. I feel like every phone call is bad news "
            "and the other parents look at me in the playground. My GP said we need a referral from school "
            "for an ADHD assessment and the school said it had to come from the GP.",
        ),
        "We're worried {focus} will be permanently excluded. {focus} is starting to say they're the naughty "
        "one and nobody likes them. I'm exhausted and it is affecting everyone at home. The "
        "younger ones copy the behaviour.",
        "{focus} sleeps badly and is always on the go. Hearing and eyesight checked and fine. {p1} has "
        "anxiety and is seeing the GP.",
        (
            ("Find out what's going on for {focus}", "A joint referral for a neurodevelopmental assessment "
             "with school's observations attached", "{practitioner} with {school} and the GP", "within 3 weeks"),
            ("Keep {focus} in school", "A support plan with movement breaks and a key adult; no exclusions "
             "without a meeting first", "{school}", "by next review"),
            ("Help {p1} at home", "Place on a parenting course for children with ADHD-type needs",
             "{p1} and {practitioner}", "next course starts in 5 weeks"),
        ),
        ("Eastmere SEND Service (fictional)", "Eastmere School Nursing Service (fictional)"),
        None,
        (
            "My brain goes too fast. When I get sent out I just sit in the corridor and everyone walks past "
            "and looks at me.",
            "I'm good at drawing and at football. Mr Hill lets me give out the books and I like that.",
        ),
    ),
    Theme(
        "new_arrival", (3, 16),
        (
            "I'm {p1}. {household_sentence} We came to Eastmere in the summer after two years of moving between "
            "hotels and shared houses in other cities. We don't know anyone here yet. My English is getting "
            "better but I still need someone to help with letters and phone calls, and the doctor's "
            "receptionist was not patient with me.",
            "{focus} has learned English very fast and now translates for me at appointments, which I know is "
            "not right for a child. The children had big gaps in school while we moved around and {focus} "
            "is behind in reading and maths. {focus} is also very quiet at school and does not talk about the "
            "time before we came. I want my children to be settled and to make friends, and I want to work.",
        ),
        "We're worried that the children are behind at school and that {focus} is doing adult jobs like "
        "interpreting. We are isolated and money is very tight. We do not know what help we are allowed.",
        "Everyone needs to register with the dentist. {focus} has trouble sleeping and sometimes has bad "
        "dreams. {p1} has back pain. Vaccinations are being checked against the UK schedule.",
        (
            ("Interpreters, not children", "Book professional interpreters for every appointment; tell the "
             "surgery", "{practitioner}", "this week"),
            ("Catch up at school", "Reading and maths catch-up groups; an English as an additional language "
             "assessment", "{school}", "within 4 weeks"),
            ("Feel part of the community", "Introduce the family to the family hub's Tuesday group and "
             "English classes", "{practitioner}", "next visit"),
        ),
        ("Marsh Lane Surgery (fictional)", "Eastmere Community Food Bank (fictional charity)"),
        None,
        (
            "I like my new school. I don't like it when people ask me where I'm really from.",
            "I help {p1_call} with the letters because I'm good at English now. Sometimes the letters are "
            "scary ones.",
        ),
    ),
)

OPENING_CLOSE = (
    "We agreed this is written the way we would say it, so we don't have to tell it again to every new "
    "person. If something here is wrong, we'll change it together.",
    "I'm writing this with {practitioner} so that everyone helping us reads the same thing. Please read "
    "this before you ask us to explain again.",
    "We would like the people helping us to know the good things too, not just the problems.",
)

STRENGTHS = (
    "{p1} never misses a parents' evening and knows the children's teachers by name.",
    "The children are close to each other; {eldest} reads to {youngest} at bedtime.",
    "Nan lives nearby and has the children on Saturdays so {p1} can rest.",
    "We eat together at the table most nights, even when money is tight.",
    "{p1} asked for help early, which took courage, and has kept every appointment.",
    "The house is warm and clean and the children have routines that work.",
    "{eldest} is brilliant at art and has a teacher who really believes in them.",
    "We are good at having a laugh together, even on bad days. Friday is film night.",
    "{p1} is honest about what is hard and wants things to be different.",
    "A neighbour, who we call Auntie, picks the children up if {p1} is stuck at work.",
    "The children go to the Saturday football club and the coach looks out for them.",
    "The family is part of the mosque/church community, which has helped with food and company.",
)

PARENTING = (
    "The children are fed, clean and dressed for the weather. {p1} is warm and affectionate and the children "
    "go to {p1} for comfort. Bedtimes slip when things are stressful. {p1} finds it hard to set boundaries "
    "for {eldest} without it turning into a row, and would like some ideas that work.",
    "{p1} knows each child well and can say what upsets them and what calms them. Routines are good on "
    "school days and fall apart at weekends. The children sometimes see adult arguments. {p1} wants to "
    "learn ways to stay calm when the children are at their hardest.",
    "Basic care is good. Supervision is a worry when {p1} is on late shifts: {eldest} is sometimes left in "
    "charge for an hour, which is too much at their age. {p1} is open to talking about a childcare plan.",
)

ENVIRONMENT = (
    "We rent from a housing association. Income is Universal Credit plus {p1}'s part-time wages; after rent "
    "and bills there is about £40 a week for food. We use the food bank some weeks. We have a car but can't "
    "always afford the petrol. Family nearby: {p1}'s sister, who helps when she can.",
    "Private rented two-bedroom house; the boiler breaks down often. {p1} works full time in retail with "
    "changing shifts. There is some debt on a catalogue and a payday loan. We are new to the area and don't "
    "know many people yet, but the family hub has been friendly.",
    "Council flat on the fourth floor; the lift is often broken, which is hard with a pushchair. {p1} is not "
    "working at the moment. We get Child Benefit and Universal Credit. The children's grandparents live in "
    "the next town and visit most weekends.",
)

TEAM_CLOSE = "{p1} and the children are at the centre of this team; {practitioner} ({agency}) is the lead " \
    "practitioner and chairs the Team Around the Family meetings every six weeks."

CHILD_LINES = {
    "baby": "{name} ({age_text}) is feeding well, smiling and starting to babble. Development checks are on track.",
    "toddler": "{name} ({age_text}) is talking in short sentences, loves the park and is starting nursery "
               "mornings. Tantrums are normal for the age but harder when the house is stressed.",
    "primary": "{name} ({age_text}) is in {school_year} at {school}. Enjoys {interest}. Reading is a little "
               "behind; friendships are mostly good.",
    "secondary": "{name} ({age_text}) is in {school_year} at {school}. Enjoys {interest}. Finds it hard to talk "
                 "about feelings but will talk in the car.",
    "older": "{name} ({age_text}) is at {school}, studying {course}. Works Saturdays. Wants to learn to "
             "drive.",
}
INTERESTS = ("drawing", "football", "Minecraft", "dancing", "swimming", "cooking with Nan", "dinosaurs",
             "music and singing", "Lego", "gymnastics", "reading comics", "looking after the dog")
COURSES = ("childcare", "motor vehicle", "art and design", "health and social care", "construction",
           "sport", "IT")

# Voice entries by age band for children who are not the theme's focus, or are too young for it.
VOICE_BY_AGE = {
    "baby": (
        ("observation", "{name} turned towards {p1_call}'s voice, smiled and reached for them when they came back "
                        "into the room; settled quickly when held and fed calmly."),
        ("observation", "{name} was alert and babbling on the play mat, made good eye contact and was soothed by "
                        "being rocked; became unsettled when the door banged."),
    ),
    "toddler": (
        ("drawing", "{name} drew a big circle with everyone in it and said 'that's our house'. Coloured "
                    "{p1_call} in red 'because {p1_they}'s happy now'."),
        ("observation", "{name} played happily with the farm animals and brought each one to {p1_call} to name. "
                        "Hid behind the sofa when the buzzer went."),
        ("own_words", "I like the slide. {p1_call} sad sometimes. I give cuddles."),
    ),
    "primary": (
        ("own_words", "The best thing is when we go to the park after school. The worst thing is when "
                      "{p1_call} is on the phone and cries."),
        ("drawing", "{name} drew three houses: one where everyone is happy (with a dog), one that is 'a bit "
                    "cloudy' and one that is 'our house now'. Put themself next to {p1_call} in every picture."),
        ("own_words", "I want a sleepover for my birthday. I want everyone to stop being cross."),
        ("own_words", "If I had three wishes: a puppy, my own room, and that {p1_call} doesn't have to work at "
                      "night."),
    ),
    "secondary": (
        ("own_words", "I'm fine. Honestly. I'd just like people to ask me before they decide things about me."),
        ("advocate", "Through an advocate: {name} wants the meetings to be after school so they don't miss "
                     "lessons, and wants to read what's written about them."),
        ("own_words", "What would help is if school didn't ring {p1_call} about every little thing."),
    ),
    "older": (
        ("own_words", "I'm nearly an adult so I want to be in the meetings, not hear about them after."),
        ("advocate", "Through an advocate: {name} says college is going well and they want the younger ones to "
                     "get the help they didn't."),
    ),
}


def age_band(age: int) -> str:
    if age < 1:
        return "baby"
    if age < 5:
        return "toddler"
    if age < 11:
        return "primary"
    if age < 16:
        return "secondary"
    return "older"


def school_year(age: int) -> str:
    """Approximate English school year for an age (Reception at 4–5)."""
    if age < 5:
        return "Reception"
    return f"Year {min(age - 4, 13)}"
