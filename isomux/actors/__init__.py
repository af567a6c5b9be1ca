"""The actor runtime: mailboxes, handles, ask, supervisors. It knows nothing of the office."""

from isomux.actors.handle import ActorContext as ActorContext
from isomux.actors.handle import Handle as Handle
from isomux.actors.handle import Reply as Reply
from isomux.actors.handle import answer_error as answer_error
from isomux.actors.handle import serve as serve
from isomux.actors.mailbox import Mailbox as Mailbox
from isomux.actors.mailbox import Overflow as Overflow
from isomux.actors.mailbox import Stopping as Stopping
from isomux.actors.supervisor import ChildSpec as ChildSpec
from isomux.actors.supervisor import Restart as Restart
from isomux.actors.supervisor import Strategy as Strategy
from isomux.actors.supervisor import Supervisor as Supervisor
from isomux.actors.supervisor import SupervisorMsg as SupervisorMsg
from isomux.actors.supervisor import child_handle as child_handle
from isomux.actors.supervisor import request_stop as request_stop
from isomux.actors.supervisor import root_context as root_context
from isomux.actors.supervisor import start_child as start_child
from isomux.actors.supervisor import stop_child as stop_child
from isomux.actors.supervisor import which_children as which_children
