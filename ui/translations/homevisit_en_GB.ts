<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AddendaPanel</name>
    <message>
        <location filename="../visit/addenda.py" line="74"/>
        <location filename="../visit/addenda.py" line="81"/>
        <source>Addenda</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="76"/>
        <source>Add &amp;addendum…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="78"/>
        <source>Addenda message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="88"/>
        <source>The addendum you were writing when the vault locked ({time}) is kept. Choose Add addendum to carry on with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="94"/>
        <source>No addenda.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="160"/>
        <source>Addendum added.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AddendumDialog</name>
    <message>
        <location filename="../visit/addenda.py" line="31"/>
        <source>Homevisit — answer your team lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="32"/>
        <source>Homevisit — add an addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="36"/>
        <source>&lt;b&gt;Your team lead asked:&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="39"/>
        <source>Your team lead&apos;s question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="42"/>
        <source>The visit itself stays exactly as submitted. The addendum is added after it, dated and signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="46"/>
        <source>Why are you adding to this visit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="48"/>
        <source>Your answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="49"/>
        <source>The addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/addenda.py" line="52"/>
        <source>Addendum message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AgencyNoteDialog</name>
    <message>
        <location filename="../visit/agency_note.py" line="46"/>
        <source>Homevisit — information from another agency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="53"/>
        <source>Record what another agency told you about this household, in their words where you can. It is kept as a record of its own, signed and sent to your team lead, and stays marked as not followed up until you discuss it with the child alone at a visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="58"/>
        <source>Which children is it about?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="66"/>
        <source>About {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="75"/>
        <source>Who told you? (agency, and the person if known)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="77"/>
        <source>What kind of information is it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="79"/>
        <source>Date you received it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="81"/>
        <source>What did they tell you?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="86"/>
        <source>Does it report an injury, bruise or mark on a child?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="87"/>
        <source>Yes, an injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="87"/>
        <source>No injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="90"/>
        <source>Does it report hunger, or a concern about food or weight?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="91"/>
        <source>Yes, hunger, food or weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="91"/>
        <source>No food or weight concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="93"/>
        <source>When did that agency last see the child? (if they said)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="100"/>
        <source>Agency note message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="121"/>
        <source>Tick at least one child.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="123"/>
        <source>Choose what kind of information it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="125"/>
        <source>Say when you received it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="128"/>
        <source>Say whether it reports an injury: it is joined up with injuries seen at visits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="132"/>
        <source>Say whether it reports hunger, food or weight: it is joined up with the concerns recorded at visits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="162"/>
        <source>Nothing was recorded yet: put right what is marked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="166"/>
        <source>Recording…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/agency_note.py" line="171"/>
        <source>It could not be recorded. Nothing was lost: what you wrote is still here; try again, and contact IT if it recurs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnalysisPage</name>
    <message>
        <location filename="../visit/household_sections.py" line="108"/>
        <source>Analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="110"/>
        <source>What does this visit tell you about the risk to the children?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="112"/>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="113"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="113"/>
        <source>Add an &amp;action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="115"/>
        <location filename="../visit/household_sections.py" line="116"/>
        <source>Information shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="116"/>
        <source>Add in&amp;formation shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="119"/>
        <source>Next visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="120"/>
        <source>Next visit due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="126"/>
        <source>The next visit date will be worked out when the visit is submitted, from each child&apos;s plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="129"/>
        <source>Next visit due by {day} (from the children&apos;s plans, in working days).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BodyMap</name>
    <message>
        <location filename="../widgets/body_map.py" line="84"/>
        <source>Body map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="86"/>
        <source>Front and back of the child. Arrow keys move the cross-hair (Shift+arrow for small steps), V switches between front and back, Enter places an injury, L lists the injuries marked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="132"/>
        <source>off the body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="143"/>
        <source>Injury {n}: {what}{where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="146"/>
        <source>Earlier visit, {mark} (faded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="157"/>
        <source>Not on the map: {injury}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="167"/>
        <source>{n} earlier injuries shown faded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="173"/>
        <source>Cross-hair: {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="174"/>
        <source>no injuries marked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="214"/>
        <source>No injuries marked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="271"/>
        <source>Front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/body_map.py" line="271"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message>
        <location filename="../visit/caseload_model.py" line="46"/>
        <source>Answer needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="95"/>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="96"/>
        <source>NO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="126"/>
        <source>{day} (overdue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="130"/>
        <source>No start date (overdue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="154"/>
        <source>Child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="155"/>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="156"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="157"/>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="158"/>
        <source>Next visit due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="159"/>
        <source>Seen alone then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="160"/>
        <source>Team lead&apos;s question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="328"/>
        <source>Overdue: this child&apos;s statutory visit is late.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_model.py" line="343"/>
        <source>Your team lead asked: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadQuestionsBanner</name>
    <message>
        <location filename="../visit/returned_question.py" line="103"/>
        <source>Questions from your team lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="104"/>
        <source>&amp;Open the oldest question…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="118"/>
        <source>&lt;b&gt;Your team lead returned 1 visit with a question.&lt;/b&gt; It stays on the visit and on the child below (marked &lt;b&gt;Answer needed&lt;/b&gt;) until you answer it with an addendum.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="123"/>
        <source>&lt;b&gt;Your team lead returned {n} visits with a question.&lt;/b&gt; Each stays on the visit and on the child below (marked &lt;b&gt;Answer needed&lt;/b&gt;) until you answer it with an addendum.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadScreen</name>
    <message>
        <location filename="../visit/caseload_screen.py" line="65"/>
        <source>Recover the visit you were writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="73"/>
        <source>Filter by child, case or plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="74"/>
        <source>Filter caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="77"/>
        <source>Caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="94"/>
        <source>&amp;Start a visit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="95"/>
        <source>Ctrl+N, or Enter on a child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="97"/>
        <source>&amp;Visits for this child…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="99"/>
        <source>Your &amp;drafts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="101"/>
        <source>Record information from another a&amp;gency…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="104"/>
        <source>Police, school, health or MARAC information about this child (Ctrl+I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="117"/>
        <source>Your caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="155"/>
        <source>1 child; {overdue} overdue a visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="156"/>
        <source>{n} children; {overdue} overdue a visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="194"/>
        <source>Recover the visit you were writing (started {time})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildEssentials</name>
    <message>
        <location filename="../visit/essentials.py" line="59"/>
        <source>Did you see {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="60"/>
        <source>Seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="60"/>
        <source>Not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="61"/>
        <source>Why was {name} not seen?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="62"/>
        <source>Did you see {name} alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="63"/>
        <source>Seen alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="63"/>
        <source>Not seen alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="65"/>
        <source>Why was {name} not seen alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="66"/>
        <source>Did you speak to {name} alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="67"/>
        <source>Spoken to alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="67"/>
        <source>Not spoken to alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="69"/>
        <source>Why did you not speak to {name} alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="71"/>
        <source>Was {name} seen awake?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="72"/>
        <source>Seen awake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="72"/>
        <source>Asleep throughout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="73"/>
        <source>Did you see where {name} sleeps?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="74"/>
        <source>Bedroom seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="74"/>
        <source>Bedroom not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="76"/>
        <source>Why did you not see where {name} sleeps?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="79"/>
        <source>Where and how does {name} sleep?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="81"/>
        <source>Is there a lock or bolt on the outside of the door?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="82"/>
        <source>Lock outside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="82"/>
        <source>No lock outside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="86"/>
        <source>{name}&apos;s own words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="87"/>
        <source>Exactly as {name} said it: not a summary, and not what an adult said for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="90"/>
        <source>How did {name} communicate?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="93"/>
        <source>If you could not record {name}&apos;s words, why not?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="96"/>
        <source>Any concern about {name}&apos;s food, hunger or weight?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="98"/>
        <source>What is the concern?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="99"/>
        <source>Did you see any injuries on {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="100"/>
        <source>Injuries seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="100"/>
        <source>No injuries seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="112"/>
        <source>Mark injuries on {name}&apos;s body map ({n} marked)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildPage</name>
    <message>
        <location filename="../visit/child_page.py" line="130"/>
        <source>{name}&apos;s pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="143"/>
        <source>Seen and &amp;heard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="144"/>
        <location filename="../visit/child_page.py" line="200"/>
        <source>&amp;Body map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="199"/>
        <source>&amp;Body map ({n})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildrenChooser</name>
    <message>
        <location filename="../visit/caseload_screen.py" line="224"/>
        <source>Homevisit — start a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="226"/>
        <source>Which children is this visit for? Every child in the household is included unless you untick them: each needs their own record.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice</name>
    <message>
        <location filename="../widgets/fields.py" line="244"/>
        <source>— choose —</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChronologyView</name>
    <message>
        <location filename="../review/chronology.py" line="66"/>
        <source>Chronology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/chronology.py" line="68"/>
        <source>Timeline of the child&apos;s events. Arrow keys step through the events, oldest first; Home and End go to the first and the newest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/chronology.py" line="80"/>
        <source> (red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/chronology.py" line="88"/>
        <source>No events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/chronology.py" line="89"/>
        <source>{event} ({n} of {count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/chronology.py" line="148"/>
        <source>Nothing on record yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConcernConsideredDialog</name>
    <message>
        <location filename="../review/oversight_notes.py" line="90"/>
        <source>Homevisit — a repeated concern about {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="94"/>
        <source>Decision message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="100"/>
        <source>Record that you have considered these concerns together, and what you decided. The flag is settled until the concern is recorded again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="104"/>
        <source>A child not seen alone at the latest visits stays flagged for that until a visit sees them alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="106"/>
        <source>What you decided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="115"/>
        <source>Nothing was recorded yet. Write what you decided: a referral, a plan, or why no more is needed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateBox</name>
    <message>
        <location filename="../widgets/date_entry.py" line="97"/>
        <source>dd/mm/yyyy, t for today, +7 for a week on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/date_entry.py" line="99"/>
        <source>date and time, e.g. 11/12/2026 14:30; n for now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <location filename="../shell/enroll.py" line="110"/>
        <source>Connect to central</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="114"/>
        <source>Type the one-time code IT gave you to connect this laptop to your council&apos;s system. Your visits stay on this laptop either way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="119"/>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="136"/>
        <source>Type the one-time code first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrollmentForm</name>
    <message>
        <location filename="../shell/enroll.py" line="49"/>
        <location filename="../shell/enroll.py" line="58"/>
        <source>Central&apos;s address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="50"/>
        <source>https://central.example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="53"/>
        <location filename="../shell/enroll.py" line="62"/>
        <source>One-time code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="54"/>
        <source>e.g. 83ABA-J7SJV-B7XGZ-TW52S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="55"/>
        <source>Connection result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="60"/>
        <source>Set by your IT department.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="80"/>
        <source>Connecting to central…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="86"/>
        <source>This laptop is connected to central at {url} as {name}. Visits you submit are sent automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/enroll.py" line="97"/>
        <source>This laptop could not be connected to central. Nothing was lost: your visits stay on this laptop, encrypted. Try again, and tell IT if it happens again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EssentialsPage</name>
    <message>
        <location filename="../visit/essentials.py" line="133"/>
        <source>The essentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="134"/>
        <source>For each child: seen, alone, where they sleep, their words, food and injuries. The rest of each child&apos;s record is on their own tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="139"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="140"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="142"/>
        <source>Why could you not get in?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/essentials.py" line="144"/>
        <source>What did you do to find and see the children?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <location filename="../shell/first_run.py" line="60"/>
        <source>Your visits are kept encrypted on this laptop. Choose a passphrase of at least {n} characters: a few unrelated words is easy to type and hard to guess. You will need it every time you open Homevisit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="66"/>
        <location filename="../shell/first_run.py" line="67"/>
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="70"/>
        <source>Type the passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="71"/>
        <source>Type it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="74"/>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="76"/>
        <source>Passphrase check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="77"/>
        <source>Create my vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="82"/>
        <source>If you forget your passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="84"/>
        <source>Your organisation&apos;s recovery key is set up: IT can reopen this vault for you without losing anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="86"/>
        <source>No recovery key is set up on this laptop: if you forget your passphrase, visits not yet synced cannot be recovered. Tell IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="58"/>
        <source>Welcome to Homevisit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="90"/>
        <source>Connecting to your council&apos;s system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="92"/>
        <source>If IT has given you a one-time code, type it here to connect this laptop for syncing. Without one, you can connect later from Vault › Connect to central….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="95"/>
        <source>After this, IT will give you a one-time code to connect this laptop for syncing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="101"/>
        <source>Continue without connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="111"/>
        <source>Vault message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="129"/>
        <source>Weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="129"/>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="130"/>
        <source>Strong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="133"/>
        <source>{n} more characters needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="136"/>
        <source>The two passphrases do not match yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="138"/>
        <source>Ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="151"/>
        <source>Creating your vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="175"/>
        <source>Your vault is ready. It is not connected to central yet: see below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="177"/>
        <source>Try connecting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/first_run.py" line="191"/>
        <source>The vault could not be created. Nothing was saved; try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FlagsPanel</name>
    <message>
        <location filename="../visit/visit_flags.py" line="38"/>
        <source>Flags your team lead will see for this visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="59"/>
        <source>&lt;b&gt;Flagged for your team lead&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="60"/>
        <source>&lt;b&gt;Your team lead will see these flags when you submit.&lt;/b&gt; They do not stop you submitting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="62"/>
        <source>Nothing flagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="63"/>
        <source>Nothing flagged so far. Flags show here as you answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="80"/>
        <source>Now flagged: {flag}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="81"/>
        <source>No longer flagged: {flag}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="87"/>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="87"/>
        <source>Amber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_flags.py" line="93"/>
        <source>Why this is flagged: {source}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomeAndRiskPage</name>
    <message>
        <location filename="../visit/household_sections.py" line="40"/>
        <source>Home conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="41"/>
        <source>Describe the home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="42"/>
        <source>Was there enough food in the home?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="43"/>
        <source>Enough food</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="43"/>
        <source>Not enough food</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="44"/>
        <source>Was the home warm enough?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="45"/>
        <source>Warm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="45"/>
        <source>Cold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="46"/>
        <source>Is there a bed for each child?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="47"/>
        <source>A bed each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="47"/>
        <source>Not a bed each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="48"/>
        <source>Did you see any hazards?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="49"/>
        <source>Hazards seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="49"/>
        <source>No hazards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="50"/>
        <source>What hazards?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="52"/>
        <source>Have the children&apos;s health appointments been kept?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="53"/>
        <source>Kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="53"/>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="76"/>
        <source>Graded Care Profile 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="77"/>
        <source>The home&apos;s grades, 1 (best) to 5 (worst), if assessed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="78"/>
        <source>Physical care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="79"/>
        <source>Safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="80"/>
        <source>Love and care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="81"/>
        <source>Esteem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="54"/>
        <source>Adults and risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="55"/>
        <source>Ask about police call-outs, Operation Encompass notifications and MARAC since the last visit, and who has moved in or out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="58"/>
        <source>Any domestic abuse since the last visit, including police notifications?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="60"/>
        <source>Yes, domestic abuse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="60"/>
        <source>None known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="62"/>
        <source>What happened, and which agencies were involved?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="64"/>
        <source>Has anyone moved in or out since the last visit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="65"/>
        <source>Yes, changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="65"/>
        <source>No changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="67"/>
        <source>Who has joined or left?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="69"/>
        <source>Any concern about drug or alcohol use?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="70"/>
        <source>Concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="70"/>
        <source>No concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="71"/>
        <source>What concern?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="74"/>
        <source>Signs of Safety scale, 0 to 10, if used</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <location filename="../visit/household_sections.py" line="21"/>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="22"/>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="23"/>
        <source>By when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="27"/>
        <source>Shared with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="28"/>
        <source>What was shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="29"/>
        <source>Legal basis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/household_sections.py" line="30"/>
        <source>Date shared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InjuriesPanel</name>
    <message>
        <location filename="../visit/injury_form.py" line="228"/>
        <source>Faded dashed circles: injuries recorded at earlier visits ({n}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="202"/>
        <source>Injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="206"/>
        <source> (not on the map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="224"/>
        <source>Click on the body where you saw an injury, or from the keyboard: Tab to the map, arrow keys move the cross-hair (Shift+arrow for small steps), V turns to the back or front, Enter marks the injury.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="234"/>
        <source>Injuries on this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="237"/>
        <source>Add an injury &amp;without a position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="240"/>
        <source>Re&amp;move the selected injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="245"/>
        <source>No injuries marked on this child.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InjuryForm</name>
    <message>
        <location filename="../visit/injury_form.py" line="75"/>
        <source>Where on the body (from the map; change it if needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="77"/>
        <source>Change the part or the side and the mark moves with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="78"/>
        <source>Side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="79"/>
        <source>What kind of injury?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="80"/>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="81"/>
        <source>Width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="82"/>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="83"/>
        <source>Colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="84"/>
        <source>Is the skin broken?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="85"/>
        <source>Skin broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="85"/>
        <source>Not broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="86"/>
        <source>Swelling?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="86"/>
        <source>Swollen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="86"/>
        <location filename="../visit/injury_form.py" line="87"/>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="87"/>
        <source>Bleeding?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="87"/>
        <source>Bleeding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="88"/>
        <source>When you saw it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="89"/>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="90"/>
        <source>Who explained it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="93"/>
        <source>Their explanation, in the exact words they used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="94"/>
        <source>Write what was said, not a summary.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="95"/>
        <source>What the child said about it, in their words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="96"/>
        <source>Kept apart from the adults&apos; explanation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="98"/>
        <source>Does the injury look consistent with the explanation?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="101"/>
        <source>Does the child move around on their own (crawl, cruise, walk)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="102"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="102"/>
        <source>Not mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="103"/>
        <source>Any bruise on a child who is not mobile needs action today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="104"/>
        <source>Have you told your manager?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="105"/>
        <source>Told</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="105"/>
        <source>Not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="106"/>
        <source>Referred for a medical assessment?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="107"/>
        <source>Referred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="107"/>
        <source>Not referred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="110"/>
        <source>Mark and words disagree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="122"/>
        <source>Attach a &amp;photo from a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="168"/>
        <source>off the outline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="171"/>
        <source>The mark on the body map is on the {where}, but this says {named}. Choose the part and side where you saw it; the mark moves there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/injury_form.py" line="183"/>
        <source>Photos attached: {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../widgets/labels.py" line="46"/>
        <source>Child protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="47"/>
        <source>Child in need</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="48"/>
        <source>Looked after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="49"/>
        <source>Core group (not a statutory visit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="50"/>
        <source>A child was not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="52"/>
        <source>Professional interpreter, in person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="54"/>
        <source>Professional interpreter, by telephone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="56"/>
        <source>Professional interpreter, by video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="58"/>
        <source>I speak the family&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="59"/>
        <source>A family member (flagged red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="60"/>
        <source>A child (flagged red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="61"/>
        <source>A family friend (flagged red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="77"/>
        <source>None could be had (flagged red; say why)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="62"/>
        <source>Observed (pre-verbal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="63"/>
        <source>Nobody explained it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="64"/>
        <source>Another adult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="65"/>
        <source>Yes, consistent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="66"/>
        <source>No, not consistent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="67"/>
        <source>Unsure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="68"/>
        <source>No concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="69"/>
        <source>Possible concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="70"/>
        <source>Clear concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="71"/>
        <source>Front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="72"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="73"/>
        <source>Child&apos;s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="74"/>
        <source>Child&apos;s right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="75"/>
        <source>Centre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="78"/>
        <source>Not needed: we share a language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="79"/>
        <source>The child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="102"/>
        <source>date of birth not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="104"/>
        <source>1 year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="105"/>
        <source>{0} years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="106"/>
        <source>1 month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="107"/>
        <source>{0} months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/labels.py" line="112"/>
        <source>{0} {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../shell/main_window.py" line="90"/>
        <location filename="../shell/main_window.py" line="358"/>
        <location filename="../shell/main_window.py" line="386"/>
        <source>Homevisit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="111"/>
        <source>&amp;Lock now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="116"/>
        <source>Vaul&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="118"/>
        <source>&amp;Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="124"/>
        <source>&amp;Connect to central…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="128"/>
        <source>Send &amp;refused records again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="132"/>
        <location filename="../shell/main_window.py" line="179"/>
        <source>&amp;High contrast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="135"/>
        <source>V&amp;iew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="178"/>
        <source>&amp;High contrast (set by your IT department)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="207"/>
        <source>Getting Homevisit ready…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="306"/>
        <source>1 visit returned by your team lead: answer needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="307"/>
        <source>{n} visits returned by your team lead: answers needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="424"/>
        <source>Central has not refused anything: there is nothing to send again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="426"/>
        <source>1 record central refused is being sent again. The status bar says when it has arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="428"/>
        <source>{n} records central refused are being sent again. The status bar says when they have arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="458"/>
        <source>&amp;Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="459"/>
        <source>Review &amp;queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="462"/>
        <source>My &amp;caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/main_window.py" line="359"/>
        <source>Something unexpected went wrong. Nothing was lost; try again, and contact IT if it recurs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <location filename="../visit/visit_sections.py" line="42"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="43"/>
        <source>Relationship to the children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="44"/>
        <source>Date of birth, if known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="45"/>
        <source>New to the household?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="46"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="46"/>
        <source>Not new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="56"/>
        <source>People in the home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="57"/>
        <source>Everyone who was there, including visitors and anyone who arrived or left during the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="59"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="59"/>
        <source>Add a &amp;person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="64"/>
        <source>Did you ask about fathers, partners or other adults who were not there?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="65"/>
        <source>Asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="65"/>
        <source>Not asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="67"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="69"/>
        <source>Language the children speak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="71"/>
        <source>Language the parents speak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="72"/>
        <source>Interpreter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="73"/>
        <source>A family member, family friend or child should never interpret: they may not pass on what the child says. If one did, or no interpreter could be had, say so: the visit still goes to your team lead, flagged red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="77"/>
        <source>Who interpreted?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="82"/>
        <source>Why could no professional interpreter be had?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="83"/>
        <source>Interpreter&apos;s name or ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="85"/>
        <source>Language interpreted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../visit/photo_viewer.py" line="98"/>
        <source>Photos of this injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="99"/>
        <source>Arrow keys choose a photo; Enter opens it larger.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="112"/>
        <source>Photo {n} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="114"/>
        <source>Enter or double-click to open it larger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="128"/>
        <source>cannot be shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../visit/photo_viewer.py" line="154"/>
        <source>Homevisit — photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="166"/>
        <source>&amp;Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="169"/>
        <source>&amp;Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="172"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="195"/>
        <source>Photo {n} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="198"/>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/photo_viewer.py" line="212"/>
        <source>This photo cannot be shown. It is still in the vault; nothing was lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewQueueModel</name>
    <message>
        <location filename="../review/review_queue_model.py" line="151"/>
        <source>No flags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../review/review_screen.py" line="102"/>
        <source>Review: queue, dashboard and child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="103"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="124"/>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="127"/>
        <source>Visit note, read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="132"/>
        <source>Choose a visit in the queue to read its note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="135"/>
        <source>Comment. To return the visit, write the question the worker must answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="136"/>
        <source>Comment for the worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="138"/>
        <source>&amp;Sign off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="139"/>
        <source>Return with co&amp;mment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="140"/>
        <source>&amp;Escalate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="142"/>
        <source>Record that you escalated this visit (a strategy discussion, a child protection enquiry, legal advice): write what to in the comment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="449"/>
        <source>Children with injuries in the last {0} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="207"/>
        <source>Every child with a red flag, visited or not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="216"/>
        <source>Per worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="218"/>
        <source>Every child with a red flag, visited or not, most serious first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="246"/>
        <source>Record s&amp;upervision…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="248"/>
        <source>Record a decision on a repeated co&amp;ncern…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="259"/>
        <source>Injuries, every visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="261"/>
        <source>Flags now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="302"/>
        <source>No visits to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="304"/>
        <source>1 visit to review; it has red flags.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="305"/>
        <source>1 visit to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="307"/>
        <source>{0} visits to review; {1} of the first {2} have red flags.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="310"/>
        <source>{0} visits to review; {1} have red flags.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="326"/>
        <source>{0} — over {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="339"/>
        <source>no visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="341"/>
        <source>{0}% ({1} of {2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="345"/>
        <source>never seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="346"/>
        <source>last seen {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="347"/>
        <source>, alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="347"/>
        <source>, not alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="144"/>
        <source>&amp;Chronology of this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="177"/>
        <source>&amp;Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="197"/>
        <source>Caseload per worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="206"/>
        <source>Children not seen alone at their last 2 visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="225"/>
        <source>Not seen alone at their last 2 visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="232"/>
        <source>&amp;Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="239"/>
        <source>Injuries on record, dated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="241"/>
        <source>Flags for this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="242"/>
        <source>Save chronology as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="268"/>
        <source>C&amp;hild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="353"/>
        <source>not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="357"/>
        <source>{0} — not synced for 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="358"/>
        <source>{0} — not synced for {1} hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="362"/>
        <source>1 record waiting on a revoked laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="364"/>
        <source>{0} records waiting on a revoked laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="367"/>
        <source>a laptop revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="373"/>
        <source>laptop reported lost: wipe ordered, not yet done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="375"/>
        <source>laptop wiped at {0}, {1} recovered before the erase, {2} lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="469"/>
        <source>Write the question the worker must answer, then press Return with comment. Nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="480"/>
        <source>Write in the comment what you escalated the visit to (a strategy discussion, a child protection enquiry), then press Escalate. Nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/review_screen.py" line="495"/>
        <source>Decision saved; it goes to central at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RowList</name>
    <message>
        <location filename="../widgets/row_list.py" line="71"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/row_list.py" line="103"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/row_list.py" line="140"/>
        <source>{title} {number} removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/row_list.py" line="142"/>
        <source>Undo: put {title} {number} back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Score</name>
    <message>
        <location filename="../widgets/fields.py" line="483"/>
        <source>{low} to {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/fields.py" line="486"/>
        <source>A score from {scale}; Up and Down change it; below {low} is not scored.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeenAndHeard</name>
    <message>
        <location filename="../visit/child_page.py" line="87"/>
        <source>What other agencies told us</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="88"/>
        <source>Tick each one you discussed with {name} alone at this visit. Until then it stays flagged for your team lead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="91"/>
        <source>Discussed with {name} alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="93"/>
        <source>What you saw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="94"/>
        <source>How did {name} seem?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="95"/>
        <source>Clothing and hygiene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="97"/>
        <source>How did {name} and the adults behave with each other?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/child_page.py" line="100"/>
        <source>{name}&apos;s wishes and feelings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisionDialog</name>
    <message>
        <location filename="../review/oversight_notes.py" line="44"/>
        <source>Homevisit — supervision of {name}&apos;s case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="48"/>
        <source>Supervision message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="51"/>
        <source>Record a supervision discussion of this case. Until one is recorded within the council&apos;s interval, the case is flagged as not supervised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="53"/>
        <source>Date of supervision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="54"/>
        <source>Supervised by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="55"/>
        <source>What was discussed and decided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="68"/>
        <source>a date of supervision no later than today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="70"/>
        <source>who supervised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="72"/>
        <source>Nothing was recorded yet. Give {what}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review/oversight_notes.py" line="73"/>
        <source> and </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../shell/sync_status.py" line="51"/>
        <source>last synced {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="52"/>
        <source>never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="54"/>
        <source>Everything is synced — safe to close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="58"/>
        <source>1 record not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="59"/>
        <source>{n} records not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="61"/>
        <source>{n} refused by central: tell IT, then Vault › Send refused records again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="67"/>
        <source>waiting since {when}: connect to a network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="84"/>
        <source>Syncing stopped: your visits are kept on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="92"/>
        <source>Central no longer accepts this laptop, so nothing is sent. Your visits are kept on it, encrypted. Ask IT to let this laptop back in at central (it then syncs by itself), or for a new one-time code to use in Vault › Connect to central….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="100"/>
        <source>Not connected to central</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/sync_status.py" line="101"/>
        <source>Your visits stay on this laptop, encrypted. To send them, use Vault › Connect to central… with the one-time code from IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <location filename="../shell/unlock_screen.py" line="36"/>
        <source>Homevisit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/unlock_screen.py" line="37"/>
        <source>Your visits are locked. Enter your passphrase to open them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/unlock_screen.py" line="41"/>
        <location filename="../shell/unlock_screen.py" line="42"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/unlock_screen.py" line="44"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/unlock_screen.py" line="48"/>
        <source>Unlock message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/unlock_screen.py" line="70"/>
        <source>Enter your passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/unlock_screen.py" line="73"/>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../visit/validation_text.py" line="18"/>
        <source>Record who carried out the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="19"/>
        <source>Choose the type of visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="20"/>
        <source>Say whether the visit was announced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="21"/>
        <source>Record when the visit started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="22"/>
        <source>Record when the visit ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="23"/>
        <source>Record where the visit took place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="24"/>
        <source>Record the purpose of the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="25"/>
        <source>Record the outcome of the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="27"/>
        <source>The visit cannot end before it started: check the times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="28"/>
        <source>The visit is recorded as longer than 12 hours: check the times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="31"/>
        <source>The visit is recorded as starting in the future: check the date and time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="35"/>
        <source>Say why you could not get into the home.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="36"/>
        <source>Say what you did to find and see the children after getting no access.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="40"/>
        <source>List everyone who was in the home during the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="41"/>
        <source>Person {number} in the home needs a name or their relationship to the children.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="44"/>
        <source>Say whether you asked about fathers or partners who were not there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="48"/>
        <source>Record the language the children speak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="50"/>
        <source>Record the language the parents speak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="51"/>
        <source>Record the interpreter&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="59"/>
        <source>Choose the children this visit was for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="60"/>
        <source>A child on this visit is not on your caseload any more; remove them or ask your team lead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="64"/>
        <source>{name} is on this visit twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="52"/>
        <source>The family speaks a language other than English: say who interpreted, that no interpreter was available, or that none was needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="56"/>
        <source>Say why no interpreter was available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="65"/>
        <source>You recorded no access, but {name} is marked seen: change the outcome, or mark {name} not seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="69"/>
        <source>You recorded no access, but {name} is marked seen alone: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="72"/>
        <source>You recorded no access, but {name} is marked spoken to alone: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="76"/>
        <source>You recorded no access, but {name} is marked seen awake: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="79"/>
        <source>You recorded no access, but where {name} sleeps is marked seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="83"/>
        <source>You recorded no access, but injuries are recorded for {name}: change the outcome, or write what you were told about the injuries in your analysis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="87"/>
        <source>{name} is marked seen, but the outcome says a child was not seen: change the outcome, or mark the child who was not seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="91"/>
        <source>{name} is marked seen, but the visit is dated before {name}&apos;s date of birth ({born}): check the visit&apos;s date; if the date of birth is wrong, ask your team lead to correct it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="96"/>
        <source>{name} is marked seen alone but not seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="99"/>
        <source>{name} is marked spoken to alone but not seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="102"/>
        <source>{name} is marked seen awake but not seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="105"/>
        <source>Injuries are recorded for {name}, but {name} is marked not seen: if you saw {name}, mark {name} seen; if you were told about an injury you did not see, write it in your analysis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="110"/>
        <source>Say whether {name} was seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="111"/>
        <source>Say why {name} was not seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="112"/>
        <source>Say whether {name} was seen alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="114"/>
        <source>Say why {name} was not seen alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="116"/>
        <source>Say whether you spoke to {name} alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="118"/>
        <source>Say why you did not speak to {name} alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="119"/>
        <source>Say whether {name} was seen awake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="121"/>
        <source>Say whether you saw where {name} sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="123"/>
        <source>Say why you did not see where {name} sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="124"/>
        <source>Describe where {name} sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="125"/>
        <source>Say whether there is a lock on the outside of {name}&apos;s door.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="128"/>
        <source>Write {name}&apos;s own words, as said, or say why they could not be recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="131"/>
        <source>Say how {name} communicated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="132"/>
        <source>Describe how {name} seemed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="134"/>
        <source>Describe {name}&apos;s clothing and hygiene.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="135"/>
        <source>Describe how {name} and the adults behaved with each other.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="138"/>
        <source>Say whether there is any concern about {name}&apos;s food or weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="142"/>
        <source>Describe the concern about {name}&apos;s food or weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="144"/>
        <source>Say whether you saw any injuries on {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="146"/>
        <source>Mark each injury you saw on {name}&apos;s body map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="147"/>
        <source>Injuries are marked on {name}&apos;s body map, but &apos;injuries seen&apos; says no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="151"/>
        <source>Mark where {name}&apos;s injury {number} is on the body map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="153"/>
        <source>Say which side {name}&apos;s injury {number} is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="154"/>
        <source>{name}&apos;s injury {number} is marked on the body map somewhere other than the part and side it names: choose where you saw it (the mark moves there).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="159"/>
        <source>Say what kind of injury {name}&apos;s injury {number} is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="161"/>
        <source>Record when {name}&apos;s injury {number} was seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="162"/>
        <source>{name}&apos;s injury {number} is recorded as seen before the visit started: check when it was seen, and the visit&apos;s start time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="166"/>
        <source>{name}&apos;s injury {number} is recorded as seen after the visit ended: check when it was seen, and the visit&apos;s end time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="170"/>
        <source>Say who explained {name}&apos;s injury {number}, or that nobody did.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="173"/>
        <source>Write the explanation of {name}&apos;s injury {number} in the exact words used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="176"/>
        <source>Say whether {name}&apos;s injury {number} looks consistent with the explanation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="179"/>
        <source>{name} is under two: say whether {name} moves around independently.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="182"/>
        <source>{name}&apos;s date of birth is not recorded: say whether {name} moves around independently.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="186"/>
        <source>Say whether your manager has been told about {name}&apos;s injury {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="189"/>
        <source>Say whether {name}&apos;s injury {number} was referred for medical assessment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="192"/>
        <source>Describe the home conditions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="193"/>
        <source>Describe the hazards you saw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="194"/>
        <source>Say whether there has been any domestic abuse since the last visit, including police notifications.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="198"/>
        <source>Describe the domestic abuse and any police or MARAC involvement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="201"/>
        <source>Say whether anyone has moved in or out since the last visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="205"/>
        <source>Describe who has joined or left the household.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="207"/>
        <source>Describe the concern about drug or alcohol use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="208"/>
        <source>Write your analysis: what this visit tells you about the risk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="212"/>
        <source>Action {number} needs what, who and by when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="213"/>
        <source>Information shared {number} needs with whom, what, the legal basis and the date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="216"/>
        <source>Say why you are adding to this visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="217"/>
        <source>Write the addendum.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="238"/>
        <source>This cannot be submitted yet: 1 thing needs putting right. Nothing was lost: it is still saved as a draft.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/validation_text.py" line="241"/>
        <source>This cannot be submitted yet: {count} things need putting right. Nothing was lost: it is still saved as a draft.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitDetailsPage</name>
    <message>
        <location filename="../visit/visit_sections.py" line="26"/>
        <source>The visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="29"/>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="30"/>
        <source>Type of visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="31"/>
        <source>Was the visit announced?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="32"/>
        <source>Announced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="32"/>
        <source>Unannounced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="33"/>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="34"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sections.py" line="35"/>
        <source>Purpose of the visit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <location filename="../visit/visit_editor.py" line="100"/>
        <source>Visit status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="105"/>
        <source>Problems to put right before submitting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="110"/>
        <source>Anything still missing is listed here when you submit (Ctrl+Enter).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="124"/>
        <source>Before you can submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="132"/>
        <source>Parts of the visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="149"/>
        <source>Essentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="150"/>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="151"/>
        <source>People and language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="156"/>
        <source>Home and risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="157"/>
        <source>Analysis and actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="160"/>
        <source>&amp;Submit visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="161"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="165"/>
        <source>Save and &amp;close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="166"/>
        <location filename="../visit/visit_editor.py" line="400"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="171"/>
        <source>Save as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="365"/>
        <source>Submitted {when}. Read-only: add an addendum to correct or add to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="369"/>
        <source>Draft: saved automatically as you write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="386"/>
        <source>Submitting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="409"/>
        <source>Next visit due by {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="432"/>
        <source>Attach a photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="433"/>
        <source>Photos (*.jpg *.jpeg *.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_editor.py" line="457"/>
        <source>Your answer is saved as an addendum; it reaches your team lead at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitEscalatedBanner</name>
    <message>
        <location filename="../visit/returned_question.py" line="142"/>
        <source>&lt;b&gt;Your team lead escalated this visit.&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="147"/>
        <source>your team lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="148"/>
        <source>Escalated by {who} on {day} at {time}: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="150"/>
        <source>(no comment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="154"/>
        <source>What your team lead escalated it to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitPicker</name>
    <message>
        <location filename="../visit/caseload_screen.py" line="254"/>
        <source>Homevisit — {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="263"/>
        <source>ANSWER NEEDED: returned by your team lead · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/caseload_screen.py" line="273"/>
        <source>None.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitQuestionBanner</name>
    <message>
        <location filename="../visit/returned_question.py" line="62"/>
        <source>&lt;b&gt;Your team lead returned this visit with a question.&lt;/b&gt; It stays here until you answer it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="67"/>
        <source>Your team lead&apos;s question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="73"/>
        <source>A&amp;nswer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/returned_question.py" line="75"/>
        <source>Answer with an addendum on this visit; the visit itself is not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitSync</name>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="16"/>
        <source>Not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="17"/>
        <source>Only on this laptop so far; it is sent at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="20"/>
        <source>Sent, not yet confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="21"/>
        <source>Sent to central; it counts as synced once central&apos;s receipt arrives. It is kept here until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="25"/>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="26"/>
        <source>Central has it: its signed receipt is stored on this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="30"/>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="31"/>
        <source>Not accepted by central</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit/visit_sync_icon.py" line="32"/>
        <source>Central did not accept it ({reason}). It is kept on this laptop and nothing was lost; tell your team lead or IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhenField</name>
    <message>
        <location filename="../widgets/fields.py" line="382"/>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>YesNo</name>
    <message>
        <location filename="../widgets/fields.py" line="228"/>
        <source>Y: {yes}, N: {no}, or Enter on the answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_DateRow</name>
    <message>
        <location filename="../widgets/fields.py" line="353"/>
        <source>Not a date: try 11/12/2026, 11 Dec 2026, t or +7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/fields.py" line="373"/>
        <source>Type a date such as 11/12/2026 or 11 Dec 2026; t for today, +7 for a week from today; Up and Down change the day; Alt+Down or F4 opens a calendar.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>background</name>
    <message>
        <location filename="../widgets/background.py" line="82"/>
        <source>Something unexpected went wrong. Nothing was lost; try again, and contact IT if it recurs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/background.py" line="85"/>
        <source>Homevisit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>editor</name>
    <message>
        <location filename="../shell/visit_navigation.py" line="211"/>
        <source>PDF saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../shell/visit_navigation.py" line="106"/>
        <source>visits for this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/visit_navigation.py" line="109"/>
        <source>your drafts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../shell/recovery_offer.py" line="39"/>
        <source>Homevisit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="41"/>
        <source>Add your IT department&apos;s recovery key to this vault?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="43"/>
        <source>Your IT department has set a recovery key for Homevisit, and this vault does not have it yet. With it, IT can open your vault and let you set a new passphrase if you ever forget yours; without it, a forgotten passphrase means the visits on this laptop cannot be opened. Your records are not changed, and IT still needs this laptop and the key kept in their safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="49"/>
        <source>Change this vault to your IT department&apos;s new recovery key?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="51"/>
        <source>Your IT department has changed its recovery key, and this vault still opens with the old one. With the new key, IT can open your vault and let you set a new passphrase if you ever forget yours; the old key will no longer open it. Your records are not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="55"/>
        <source>&amp;Add IT&apos;s recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="56"/>
        <source>&amp;Change to the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="58"/>
        <source>&amp;Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="73"/>
        <source>IT&apos;s recovery key was added: if you forget your passphrase, IT can open this vault. Your records were not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/recovery_offer.py" line="75"/>
        <source>This vault now opens with IT&apos;s new recovery key, and no longer with the old one. Your records were not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/visit_navigation.py" line="89"/>
        <source>Information from another agency recorded. It goes to central at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/visit_navigation.py" line="185"/>
        <source>Save the visit as a PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shell/visit_navigation.py" line="186"/>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
