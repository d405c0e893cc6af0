<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AddendaPanel</name>
    <message>
        <location filename="../addenda.py" line="70"/>
        <source>Addenda</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="72"/>
        <source>Add &amp;addendum…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="86"/>
        <source>No addenda.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="111"/>
        <source>Addendum added.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AddendumDialog</name>
    <message>
        <location filename="../addenda.py" line="29"/>
        <source>Homevisit — answer your team lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="30"/>
        <source>Homevisit — add an addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="34"/>
        <source>&lt;b&gt;Your team lead asked:&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="37"/>
        <source>Your team lead&apos;s question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="40"/>
        <source>The visit itself stays exactly as submitted. The addendum is added after it, dated and signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="44"/>
        <source>Why are you adding to this visit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="46"/>
        <source>Your answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../addenda.py" line="47"/>
        <source>The addendum</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnalysisPage</name>
    <message>
        <location filename="../household_sections.py" line="119"/>
        <source>Analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="121"/>
        <source>What does this visit tell you about the risk to the children?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="123"/>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="124"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="124"/>
        <source>Add an &amp;action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="126"/>
        <location filename="../household_sections.py" line="127"/>
        <source>Information shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="127"/>
        <source>Add information &amp;shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="130"/>
        <source>Next visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="132"/>
        <source>Next visit due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="139"/>
        <source>The next visit date will be worked out when the visit is submitted, from each child&apos;s plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="142"/>
        <source>Next visit due by {day} (from the children&apos;s plans, in working days).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BodyMap</name>
    <message>
        <location filename="../body_map.py" line="84"/>
        <source>Body map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../body_map.py" line="86"/>
        <source>Front and back of the child. Arrow keys move the cross-hair, V switches between front and back, Enter places an injury.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../body_map.py" line="197"/>
        <source>Front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../body_map.py" line="197"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message>
        <location filename="../caseload_model.py" line="47"/>
        <source>Answer needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="95"/>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="96"/>
        <source>NO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="129"/>
        <source>Child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="130"/>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="131"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="132"/>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="133"/>
        <source>Next visit due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="134"/>
        <source>Seen alone then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="135"/>
        <source>Team lead&apos;s question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="294"/>
        <source>Overdue: this child&apos;s statutory visit is late.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_model.py" line="309"/>
        <source>Your team lead asked: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadQuestionsBanner</name>
    <message>
        <location filename="../returned_question.py" line="93"/>
        <source>Questions from your team lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../returned_question.py" line="94"/>
        <source>&amp;Open the oldest question…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../returned_question.py" line="108"/>
        <source>&lt;b&gt;Your team lead returned {n} visit(s) with a question.&lt;/b&gt; Each stays on the visit and on the child below (marked &lt;b&gt;Answer needed&lt;/b&gt;) until you answer it with an addendum.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseloadScreen</name>
    <message>
        <location filename="../caseload_screen.py" line="48"/>
        <source>Recover the visit you were writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="56"/>
        <source>Filter by child, case or plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="57"/>
        <source>Filter caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="60"/>
        <source>Caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="76"/>
        <source>&amp;Start a visit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="77"/>
        <source>Ctrl+N, or Enter on a child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="79"/>
        <source>&amp;Visits for this child…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="81"/>
        <source>Your &amp;drafts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="113"/>
        <source>{n} children; {overdue} overdue a visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="140"/>
        <source>Recover the visit you were writing (started {time})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildPage</name>
    <message>
        <location filename="../child_page.py" line="155"/>
        <source>Seen and &amp;heard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="156"/>
        <location filename="../child_page.py" line="208"/>
        <source>&amp;Body map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="207"/>
        <source>&amp;Body map ({n})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildrenChooser</name>
    <message>
        <location filename="../caseload_screen.py" line="170"/>
        <source>Homevisit — start a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="172"/>
        <source>Which children is this visit for? Every child in the household is included unless you untick them: each needs their own record.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choice</name>
    <message>
        <location filename="../fields.py" line="188"/>
        <source>— choose —</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChronologyView</name>
    <message>
        <location filename="../chronology.py" line="50"/>
        <source>Chronology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../chronology.py" line="99"/>
        <source>Nothing on record yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <location filename="../enroll.py" line="121"/>
        <source>Connect to central</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="125"/>
        <source>Type the one-time code IT gave you to connect this laptop to your council&apos;s system. Your visits stay on this laptop either way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="130"/>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="147"/>
        <source>Type the one-time code first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrollmentForm</name>
    <message>
        <location filename="../enroll.py" line="57"/>
        <location filename="../enroll.py" line="68"/>
        <source>Central&apos;s address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="58"/>
        <source>https://central.example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="61"/>
        <location filename="../enroll.py" line="73"/>
        <source>One-time code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="62"/>
        <source>e.g. 83ABA-J7SJV-B7XGZ-TW52S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="65"/>
        <source>Connection result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="70"/>
        <source>Set by your IT department.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="71"/>
        <source>Central&apos;s address is managed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="91"/>
        <source>Connecting to central…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="97"/>
        <source>This laptop is connected to central at {url} as {name}. Visits you submit are sent automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../enroll.py" line="108"/>
        <source>This laptop could not be connected to central. Nothing was lost: your visits stay on this laptop, encrypted. Try again, and tell IT if it happens again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <location filename="../first_run.py" line="59"/>
        <source>Your visits are kept encrypted on this laptop. Choose a passphrase of at least {n} characters: a few unrelated words is easy to type and hard to guess. You will need it every time you open Homevisit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="65"/>
        <location filename="../first_run.py" line="66"/>
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="69"/>
        <source>Type the passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="70"/>
        <source>Type it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="73"/>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="77"/>
        <source>Passphrase check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="78"/>
        <source>Create my vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="83"/>
        <source>If you forget your passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="85"/>
        <source>Your organisation&apos;s recovery key is set up: IT can reopen this vault for you without losing anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="87"/>
        <source>No recovery key is set up on this laptop: if you forget your passphrase, visits not yet synced cannot be recovered. Tell IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="90"/>
        <source>Recovery key status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="92"/>
        <source>Connecting to your council&apos;s system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="94"/>
        <source>If IT has given you a one-time code, type it here to connect this laptop for syncing. Without one, you can connect later from Vault › Connect to central….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="97"/>
        <source>After this, IT will give you a one-time code to connect this laptop for syncing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="103"/>
        <source>Continue without connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="132"/>
        <source>Weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="132"/>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="133"/>
        <source>Strong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="136"/>
        <source>{n} more characters needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="139"/>
        <source>The two passphrases do not match yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="141"/>
        <source>Ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="154"/>
        <source>Creating your vault…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="178"/>
        <source>Your vault is ready. It is not connected to central yet: see below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="180"/>
        <source>Try connecting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../first_run.py" line="194"/>
        <source>The vault could not be created. Nothing was saved; try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FlagsPanel</name>
    <message>
        <location filename="../visit_flags.py" line="29"/>
        <source>Flags your team lead will see for this visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_flags.py" line="40"/>
        <source>&lt;b&gt;Flagged for your team lead&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_flags.py" line="41"/>
        <source>&lt;b&gt;Your team lead will see these flags when you submit.&lt;/b&gt; They do not stop you submitting; explain anything you can in the record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_flags.py" line="46"/>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_flags.py" line="46"/>
        <source>Amber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_flags.py" line="52"/>
        <source>Why this is flagged: {source}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomeAndRiskPage</name>
    <message>
        <location filename="../household_sections.py" line="40"/>
        <source>Home conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="41"/>
        <source>Describe the home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="42"/>
        <source>Was there enough food in the home?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="43"/>
        <source>Enough food</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="43"/>
        <source>Not enough food</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="44"/>
        <source>Was the home warm enough?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="45"/>
        <source>Warm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="45"/>
        <source>Cold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="46"/>
        <source>Is there a bed for each child?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="47"/>
        <source>A bed each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="47"/>
        <source>Not a bed each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="48"/>
        <source>Did you see any hazards?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="49"/>
        <source>Hazards seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="49"/>
        <source>No hazards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="50"/>
        <source>What hazards?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="52"/>
        <source>Have the children&apos;s health appointments been kept?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="53"/>
        <source>Kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="53"/>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="54"/>
        <source>Graded Care Profile 2 grades, 1 (best) to 5 (worst), if assessed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="56"/>
        <source>Physical care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="57"/>
        <source>Safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="58"/>
        <source>Love and care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="59"/>
        <source>Esteem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="61"/>
        <source>Adults and risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="62"/>
        <source>Ask about police call-outs, Operation Encompass notifications and MARAC since the last visit, and who has moved in or out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="65"/>
        <source>Any domestic abuse since the last visit, including police notifications?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="67"/>
        <source>Yes, domestic abuse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="67"/>
        <source>None known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="69"/>
        <source>What happened, and which agencies were involved?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="71"/>
        <source>Has anyone moved in or out since the last visit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="72"/>
        <source>Yes, changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="72"/>
        <source>No changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="74"/>
        <source>Who has joined or left?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="76"/>
        <source>Any concern about drug or alcohol use?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="77"/>
        <source>Concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="77"/>
        <source>No concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="78"/>
        <source>What concern?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="81"/>
        <source>Signs of Safety scale, 0 to 10, if used</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <location filename="../household_sections.py" line="21"/>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="22"/>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="23"/>
        <source>By when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="27"/>
        <source>Shared with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="28"/>
        <source>What was shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="29"/>
        <source>Legal basis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../household_sections.py" line="30"/>
        <source>Date shared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InjuriesPanel</name>
    <message>
        <location filename="../injury_form.py" line="170"/>
        <source>Faded dashed circles: injuries recorded at earlier visits ({n}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="172"/>
        <source>Click on the body where you saw an injury.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="175"/>
        <source>Injuries on this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="178"/>
        <source>Add an injury &amp;without a position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="181"/>
        <source>&amp;Remove the selected injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="186"/>
        <source>No injuries marked on this child.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InjuryForm</name>
    <message>
        <location filename="../injury_form.py" line="75"/>
        <source>Where on the body (from the map; change it if needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="77"/>
        <source>Side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="78"/>
        <source>What kind of injury?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="79"/>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="80"/>
        <source>Width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="81"/>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="82"/>
        <source>Colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="83"/>
        <source>Is the skin broken?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="84"/>
        <source>Skin broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="84"/>
        <source>Not broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="85"/>
        <source>Swelling?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="85"/>
        <source>Swollen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="85"/>
        <location filename="../injury_form.py" line="86"/>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="86"/>
        <source>Bleeding?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="86"/>
        <source>Bleeding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="87"/>
        <source>When you saw it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="88"/>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="89"/>
        <source>Who explained it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="92"/>
        <source>Their explanation, in the exact words they used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="93"/>
        <source>Write what was said, not a summary.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="94"/>
        <source>What the child said about it, in their words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="95"/>
        <source>Kept apart from the adults&apos; explanation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="97"/>
        <source>Does the injury look consistent with the explanation?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="100"/>
        <source>Does the child move around on their own (crawl, cruise, walk)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="101"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="101"/>
        <source>Not mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="102"/>
        <source>Any bruise on a child who is not mobile needs action today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="103"/>
        <source>Have you told your manager?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="104"/>
        <source>Told</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="104"/>
        <source>Not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="105"/>
        <source>Referred for a medical assessment?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="106"/>
        <source>Referred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="106"/>
        <source>Not referred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="117"/>
        <source>Attach a &amp;photo from a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../injury_form.py" line="137"/>
        <source>Photos attached: {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../labels.py" line="40"/>
        <source>Child protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="42"/>
        <source>Child in need</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="44"/>
        <source>Looked after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="46"/>
        <source>Core group (not a statutory visit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="48"/>
        <source>A child was not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="50"/>
        <source>Professional interpreter, in person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="52"/>
        <source>Professional interpreter, by telephone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="54"/>
        <source>Professional interpreter, by video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="56"/>
        <source>I speak the family&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="58"/>
        <source>A family member (flagged red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="60"/>
        <source>A child (flagged red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="62"/>
        <source>A family friend (flagged red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="64"/>
        <source>None could be had (flagged red; say why)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="66"/>
        <source>Not needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="68"/>
        <source>Observed (pre-verbal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="70"/>
        <source>Nobody explained it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="72"/>
        <source>Another adult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="74"/>
        <source>Yes, consistent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="76"/>
        <source>No, not consistent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="78"/>
        <source>Unsure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="80"/>
        <source>No concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="82"/>
        <source>Possible concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="84"/>
        <source>Clear concern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="86"/>
        <source>Front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="88"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="90"/>
        <source>Child&apos;s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="92"/>
        <source>Child&apos;s right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../labels.py" line="94"/>
        <source>Centre</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="96"/>
        <location filename="../main_window.py" line="337"/>
        <source>Homevisit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="114"/>
        <source>&amp;Lock now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="119"/>
        <source>&amp;Vault</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="121"/>
        <source>&amp;Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="127"/>
        <source>&amp;Connect to central…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="131"/>
        <location filename="../main_window.py" line="184"/>
        <source>&amp;High contrast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="134"/>
        <source>V&amp;iew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183"/>
        <source>&amp;High contrast (set by your IT department)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="299"/>
        <source>{n} visit(s) returned by your team lead: answer needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="338"/>
        <source>Something unexpected went wrong. Nothing was lost; try again, and contact IT if it recurs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="370"/>
        <source>visits for this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="373"/>
        <source>your drafts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="435"/>
        <source>Save the visit as a PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="436"/>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="448"/>
        <source>PDF saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <location filename="../visit_sections.py" line="67"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="68"/>
        <source>Relationship to the children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="69"/>
        <source>Date of birth, if known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="70"/>
        <source>New to the household?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="71"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="71"/>
        <source>Not new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="81"/>
        <source>People in the home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="82"/>
        <source>Everyone who was there, including visitors and anyone who arrived or left during the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="84"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="84"/>
        <source>Add a &amp;person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="89"/>
        <source>Did you ask about fathers, partners or other adults who were not there?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="90"/>
        <source>Asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="90"/>
        <source>Not asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="92"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="94"/>
        <source>Language the children speak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="96"/>
        <source>Language the parents speak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="97"/>
        <source>Interpreter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="98"/>
        <source>A family member, family friend or child should never interpret: they may not pass on what the child says. If one did, or no interpreter could be had, say so: the visit still goes to your team lead, flagged red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="110"/>
        <source>Why could no interpreter be had?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="102"/>
        <source>Who interpreted?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="105"/>
        <source>Interpreter&apos;s name or ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="107"/>
        <source>Language interpreted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../photo_viewer.py" line="98"/>
        <source>Photos of this injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="99"/>
        <source>Arrow keys choose a photo; Enter opens it larger.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="112"/>
        <source>Photo {n} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="114"/>
        <source>Enter or double-click to open it larger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="128"/>
        <source>cannot be shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../photo_viewer.py" line="154"/>
        <source>Homevisit — photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="166"/>
        <source>&amp;Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="169"/>
        <source>&amp;Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="172"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="195"/>
        <source>Photo {n} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="198"/>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../photo_viewer.py" line="212"/>
        <source>This photo cannot be shown. It is still in the vault; nothing was lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewQueueModel</name>
    <message>
        <location filename="../review_queue_model.py" line="140"/>
        <source>No flags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../review_screen.py" line="73"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="92"/>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="95"/>
        <source>Visit note, read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="98"/>
        <source>Comment. To return the visit, write the question the worker must answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="99"/>
        <source>Comment for the worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="101"/>
        <source>&amp;Sign off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="102"/>
        <source>&amp;Return with comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="103"/>
        <source>&amp;Chronology of this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="126"/>
        <source>&amp;Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="132"/>
        <source>Caseload per worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="136"/>
        <source>Children not seen alone at their last 2 visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="137"/>
        <source>Children with injuries in the last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="146"/>
        <source>&lt;b&gt;Per worker&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="149"/>
        <source>Not seen alone at their last 2 visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="150"/>
        <source>Injuries in the last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="156"/>
        <source>&amp;Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="163"/>
        <source>Injuries on record, dated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="165"/>
        <source>Flags for this child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="166"/>
        <source>Save chronology as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="176"/>
        <source>&lt;b&gt;Injuries, every visit&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="178"/>
        <source>&lt;b&gt;Flags now&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="183"/>
        <source>C&amp;hild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="216"/>
        <source>{0} visits to review; {1} of the first shown are red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="236"/>
        <source>not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="240"/>
        <source>{0} — not synced for {1} hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="291"/>
        <source>Write the question the worker must answer, then press Return with comment. Nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="304"/>
        <source>Decision saved; it goes to central at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="341"/>
        <source>Save chronology as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="348"/>
        <source>The PDF could not be written there. Nothing was lost; choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../review_screen.py" line="352"/>
        <source>Chronology saved as PDF.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RowList</name>
    <message>
        <location filename="../row_list.py" line="79"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeenAndHeard</name>
    <message>
        <location filename="../child_page.py" line="33"/>
        <source>{years} years {months} months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="35"/>
        <source>date of birth not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="56"/>
        <source>Did you see {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="57"/>
        <source>Seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="57"/>
        <source>Not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="58"/>
        <source>Why was {name} not seen?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="59"/>
        <source>Did you see {name} alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="60"/>
        <source>Seen alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="60"/>
        <source>Not seen alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="62"/>
        <source>Why was {name} not seen alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="63"/>
        <source>Did you speak to {name} alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="64"/>
        <source>Spoken to alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="64"/>
        <source>Not spoken to alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="66"/>
        <source>Why did you not speak to {name} alone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="68"/>
        <source>Was {name} seen awake?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="69"/>
        <source>Seen awake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="69"/>
        <source>Asleep throughout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="70"/>
        <source>Did you see where {name} sleeps?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="71"/>
        <source>Bedroom seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="71"/>
        <source>Bedroom not seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="73"/>
        <source>Why did you not see where {name} sleeps?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="76"/>
        <source>Where and how does {name} sleep?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="78"/>
        <source>Is there a lock or bolt on the outside of the door?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="79"/>
        <source>Lock outside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="79"/>
        <source>No lock outside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="83"/>
        <source>{name}&apos;s voice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="84"/>
        <source>Write what {name} said, exactly as they said it. Not a summary, and not what an adult said for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="86"/>
        <source>{name}&apos;s own words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="88"/>
        <source>How did {name} communicate?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="90"/>
        <source>Wishes and feelings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="92"/>
        <source>If you could not record {name}&apos;s words, why not?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="94"/>
        <source>What you saw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="95"/>
        <source>How did {name} seem?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="96"/>
        <source>Clothing and hygiene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="98"/>
        <source>How did {name} and the adults behave with each other?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="101"/>
        <source>Any concern about {name}&apos;s food, hunger or weight?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="103"/>
        <source>What is the concern?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="104"/>
        <source>Did you see any injuries on {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="105"/>
        <source>Injuries seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="105"/>
        <source>No injuries seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../child_page.py" line="106"/>
        <source>Mark each injury on the Body map tab.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../sync_status.py" line="50"/>
        <source>last synced {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="51"/>
        <source>never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="53"/>
        <source>Everything is synced — safe to close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="57"/>
        <source>1 record not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="58"/>
        <source>{n} records not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="60"/>
        <source>{n} refused by central: tell IT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="66"/>
        <source>waiting since {when}: connect to a network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="83"/>
        <source>Syncing stopped: your visits are kept on this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="91"/>
        <source>Central no longer accepts this laptop, so nothing is sent. Your visits are kept on it, encrypted. Ask IT to let this laptop back in at central (it then syncs by itself), or for a new one-time code to use in Vault › Connect to central….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="99"/>
        <source>Not connected to central</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="100"/>
        <source>Your visits stay on this laptop, encrypted. To send them, use Vault › Connect to central… with the one-time code from IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <location filename="../unlock_screen.py" line="35"/>
        <source>&lt;h1&gt;Homevisit&lt;/h1&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_screen.py" line="36"/>
        <source>Your visits are locked. Enter your passphrase to open them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_screen.py" line="40"/>
        <location filename="../unlock_screen.py" line="41"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_screen.py" line="43"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_screen.py" line="48"/>
        <source>Unlock message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_screen.py" line="70"/>
        <source>Enter your passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../unlock_screen.py" line="73"/>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../validation_text.py" line="18"/>
        <source>Record who carried out the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="19"/>
        <source>Choose the type of visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="20"/>
        <source>Say whether the visit was announced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="21"/>
        <source>Record when the visit started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="22"/>
        <source>Record when the visit ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="23"/>
        <source>Record where the visit took place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="24"/>
        <source>Record the purpose of the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="25"/>
        <source>Record the outcome of the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="27"/>
        <source>The visit cannot end before it started: check the times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="28"/>
        <source>The visit is recorded as longer than 12 hours: check the times.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="31"/>
        <source>The visit is recorded as starting in the future: check the date and time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="35"/>
        <source>Say why you could not get into the home.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="36"/>
        <source>Say what you did to find and see the children after getting no access.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="40"/>
        <source>List everyone who was in the home during the visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="41"/>
        <source>Person {number} in the home needs a name or their relationship to the children.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="44"/>
        <source>Say whether you asked about fathers or partners who were not there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="48"/>
        <source>Record the language the children speak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="50"/>
        <source>Record the language the parents speak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="51"/>
        <source>Record the interpreter&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="59"/>
        <source>Choose the children this visit was for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="60"/>
        <source>A child on this visit is not on your caseload any more; remove them or ask your team lead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="64"/>
        <source>{name} is on this visit twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="52"/>
        <source>The family speaks a language other than English: say who interpreted, that no interpreter was available, or that none was needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="56"/>
        <source>Say why no interpreter was available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="65"/>
        <source>You recorded no access, but {name} is marked seen: change the outcome, or mark {name} not seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="69"/>
        <source>You recorded no access, but {name} is marked seen alone: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="72"/>
        <source>You recorded no access, but {name} is marked spoken to alone: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="76"/>
        <source>You recorded no access, but {name} is marked seen awake: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="79"/>
        <source>You recorded no access, but where {name} sleeps is marked seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="83"/>
        <source>You recorded no access, but injuries are recorded for {name}: change the outcome, or write what you were told about the injuries in your analysis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="87"/>
        <source>{name} is marked seen, but the outcome says a child was not seen: change the outcome, or mark the child who was not seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="91"/>
        <source>{name} is marked seen, but the visit is dated before {name}&apos;s date of birth ({born}): check the visit&apos;s date; if the date of birth is wrong, ask your team lead to correct it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="96"/>
        <source>{name} is marked seen alone but not seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="99"/>
        <source>{name} is marked spoken to alone but not seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="102"/>
        <source>{name} is marked seen awake but not seen: change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="105"/>
        <source>Injuries are recorded for {name}, but {name} is marked not seen: if you saw {name}, mark {name} seen; if you were told about an injury you did not see, write it in your analysis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="110"/>
        <source>Say whether {name} was seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="111"/>
        <source>Say why {name} was not seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="112"/>
        <source>Say whether {name} was seen alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="114"/>
        <source>Say why {name} was not seen alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="116"/>
        <source>Say whether you spoke to {name} alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="118"/>
        <source>Say why you did not speak to {name} alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="119"/>
        <source>Say whether {name} was seen awake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="121"/>
        <source>Say whether you saw where {name} sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="123"/>
        <source>Say why you did not see where {name} sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="124"/>
        <source>Describe where {name} sleeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="125"/>
        <source>Say whether there is a lock on the outside of {name}&apos;s door.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="128"/>
        <source>Write {name}&apos;s own words, as said, or say why they could not be recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="131"/>
        <source>Say how {name} communicated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="132"/>
        <source>Describe how {name} seemed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="134"/>
        <source>Describe {name}&apos;s clothing and hygiene.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="135"/>
        <source>Describe how {name} and the adults behaved with each other.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="138"/>
        <source>Say whether there is any concern about {name}&apos;s food or weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="142"/>
        <source>Describe the concern about {name}&apos;s food or weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="144"/>
        <source>Say whether you saw any injuries on {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="146"/>
        <source>Mark each injury you saw on {name}&apos;s body map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="147"/>
        <source>Injuries are marked on {name}&apos;s body map, but &apos;injuries seen&apos; says no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="151"/>
        <source>Mark where {name}&apos;s injury {number} is on the body map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="153"/>
        <source>Say which side {name}&apos;s injury {number} is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="155"/>
        <source>Say what kind of injury {name}&apos;s injury {number} is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="157"/>
        <source>Record when {name}&apos;s injury {number} was seen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="158"/>
        <source>{name}&apos;s injury {number} is recorded as seen before the visit started: check when it was seen, and the visit&apos;s start time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="162"/>
        <source>{name}&apos;s injury {number} is recorded as seen after the visit ended: check when it was seen, and the visit&apos;s end time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="166"/>
        <source>Say who explained {name}&apos;s injury {number}, or that nobody did.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="169"/>
        <source>Write the explanation of {name}&apos;s injury {number} in the exact words used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="172"/>
        <source>Say whether {name}&apos;s injury {number} looks consistent with the explanation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="175"/>
        <source>{name} is under two: say whether {name} moves around independently.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="178"/>
        <source>{name}&apos;s date of birth is not recorded: say whether {name} moves around independently.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="182"/>
        <source>Say whether your manager has been told about {name}&apos;s injury {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="185"/>
        <source>Say whether {name}&apos;s injury {number} was referred for medical assessment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="188"/>
        <source>Describe the home conditions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="189"/>
        <source>Describe the hazards you saw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="190"/>
        <source>Say whether there has been any domestic abuse since the last visit, including police notifications.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="194"/>
        <source>Describe the domestic abuse and any police or MARAC involvement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="197"/>
        <source>Say whether anyone has moved in or out since the last visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="201"/>
        <source>Describe who has joined or left the household.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="203"/>
        <source>Describe the concern about drug or alcohol use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="204"/>
        <source>Write your analysis: what this visit tells you about the risk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="208"/>
        <source>Action {number} needs what, who and by when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="209"/>
        <source>Information shared {number} needs with whom, what, the legal basis and the date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="212"/>
        <source>Say why you are adding to this visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../validation_text.py" line="213"/>
        <source>Write the addendum.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitDetailsPage</name>
    <message>
        <location filename="../visit_sections.py" line="23"/>
        <source>The visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="26"/>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="27"/>
        <source>Type of visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="28"/>
        <source>Was the visit announced?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="29"/>
        <source>Announced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="29"/>
        <source>Unannounced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="30"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="31"/>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="32"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="33"/>
        <source>Purpose of the visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="34"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="36"/>
        <source>Why could you not get in?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sections.py" line="38"/>
        <source>What did you do to find and see the children?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <location filename="../visit_editor.py" line="110"/>
        <source>Visit status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="112"/>
        <source>Problems to put right before submitting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="123"/>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="124"/>
        <source>People and language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="135"/>
        <source>Home and risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="136"/>
        <source>Analysis and actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="139"/>
        <source>&amp;Submit visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="140"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="142"/>
        <source>Save and &amp;close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="143"/>
        <location filename="../visit_editor.py" line="391"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="145"/>
        <source>Save as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="305"/>
        <source>Draft saved at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="358"/>
        <source>Submitted {when}. Read-only: add an addendum to correct or add to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="362"/>
        <source>Draft: saved automatically as you write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="377"/>
        <source>Submitting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="465"/>
        <source>Attach a photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="466"/>
        <source>Photos (*.jpg *.jpeg *.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_editor.py" line="490"/>
        <source>Your answer is saved as an addendum; it reaches your team lead at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitPicker</name>
    <message>
        <location filename="../caseload_screen.py" line="200"/>
        <source>Homevisit — {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="209"/>
        <source>ANSWER NEEDED: returned by your team lead · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../caseload_screen.py" line="219"/>
        <source>None.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitQuestionBanner</name>
    <message>
        <location filename="../returned_question.py" line="58"/>
        <source>&lt;b&gt;Your team lead returned this visit with a question.&lt;/b&gt; It stays here until you answer it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../returned_question.py" line="63"/>
        <source>Your team lead&apos;s question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../returned_question.py" line="69"/>
        <source>A&amp;nswer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../returned_question.py" line="71"/>
        <source>Answer with an addendum on this visit; the visit itself is not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitSync</name>
    <message>
        <location filename="../visit_sync_icon.py" line="16"/>
        <source>Not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="17"/>
        <source>Only on this laptop so far; it is sent at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="20"/>
        <source>Sent, not yet confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="21"/>
        <source>Sent to central; it counts as synced once central&apos;s receipt arrives. It is kept here until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="25"/>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="26"/>
        <source>Central has it: its signed receipt is stored on this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="30"/>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="31"/>
        <source>Not accepted by central</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../visit_sync_icon.py" line="32"/>
        <source>Central did not accept it ({reason}). It is kept on this laptop and nothing was lost; tell your team lead or IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhenField</name>
    <message>
        <location filename="../fields.py" line="255"/>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
